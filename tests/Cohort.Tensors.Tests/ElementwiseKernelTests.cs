using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class ElementwiseKernelTests
{
    public static IEnumerable<object[]> Lengths() => Enumerable.Range(0, 257).Where(n => n < 40 || n % 7 == 0 || n == 256).Select(n => new object[] { n });

    private delegate void Unary(ReadOnlySpan<float> x, Span<float> y);

    private delegate void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ActivationsMatchScalarReferences(int length)
    {
        var random = RandomStream.Create(1, length);
        var x = new float[length];
        random.FillUniform(x, -4, 4);
        Compare(Activations.Relu, Activations.ReluReference, x, 0f);
        Compare(Activations.Tanh, Activations.TanhReference, x, 2e-6f);
        Compare(Activations.Sigmoid, Activations.SigmoidReference, x, 2e-6f);

        var y = new float[length];
        var dy = new float[length];
        random.FillUniform(y, -1, 1);
        random.FillUniform(dy, -1, 1);
        CompareBackward(Activations.ReluBackward, Activations.ReluBackwardReference, y, dy);
        CompareBackward(Activations.TanhBackward, Activations.TanhBackwardReference, y, dy);
        CompareBackward(Activations.SigmoidBackward, Activations.SigmoidBackwardReference, y, dy);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(-1.5, -0.9661051464753108)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(-4.0, -0.9999999845827421)]
    public void ErfMatchesTables(double x, double expected)
    {
        Assert.Equal(expected, Activations.Erf(x), 1e-13);
    }

    [Fact]
    public void GeluBackwardIsTheDerivativeOfGelu()
    {
        float[] x = [-3f, -1f, -0.2f, 0f, 0.3f, 1.2f, 2.5f];
        var dx = new float[x.Length];
        Activations.GeluBackward(x, Enumerable.Repeat(1f, x.Length).ToArray(), dx);
        for (int i = 0; i < x.Length; i++)
        {
            double h = 1e-5, v = x[i];
            double numeric = ((v + h) * Activations.NormalCdf(v + h) - (v - h) * Activations.NormalCdf(v - h)) / (2 * h);
            Assert.Equal(numeric, dx[i], 1e-5);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 10)]
    [InlineData(17, 33)]
    [InlineData(4, 256)]
    public void SoftmaxMatchesReference(int rows, int cols)
    {
        var random = RandomStream.Create(2, rows, cols);
        var x = new float[rows * cols];
        random.FillUniform(x, -20, 20);
        foreach (bool log in new[] { false, true })
        {
            var y = new float[x.Length];
            var r = new float[x.Length];
            if (log)
            {
                Softmaxes.LogSoftmax(x, y, rows, cols);
            }
            else
            {
                Softmaxes.Softmax(x, y, rows, cols);
            }
            Softmaxes.SoftmaxReference(x, r, rows, cols, log);
            for (int i = 0; i < y.Length; i++)
            {
                Assert.True(Math.Abs(y[i] - r[i]) <= 1e-5f * (1 + Math.Abs(r[i])), $"log={log} element {i}: {y[i]} vs {r[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void RowSumsMatchReference(int cols)
    {
        int rows = 5;
        var random = RandomStream.Create(3, cols);
        var src = new float[rows * cols];
        random.FillUniform(src, -1, 1);
        var a = new float[cols];
        var b = new float[cols];
        random.FillUniform(a, -1, 1);
        a.CopyTo(b, 0);
        Reductions.AddRowsInto(src, rows, cols, a);
        Reductions.AddRowsIntoReference(src, rows, cols, b);
        for (int j = 0; j < cols; j++)
        {
            Assert.Equal(b[j], a[j], 1e-5f);
        }
        Assert.Equal(src.Sum(v => (double)v), Reductions.Sum(src), 1e-9);
        Assert.Equal(src.Sum(v => (double)v * v), Reductions.SumOfSquares(src), 1e-9);
    }

    private static void Compare(Unary fast, Unary reference, float[] x, float tolerance)
    {
        var a = new float[x.Length];
        var b = new float[x.Length];
        fast(x, a);
        reference(x, b);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - b[i]) <= tolerance * (1 + Math.Abs(b[i])), $"element {i}: {a[i]} vs {b[i]}");
        }
    }

    private static void CompareBackward(Backward fast, Backward reference, float[] y, float[] dy)
    {
        var a = new float[y.Length];
        var b = new float[y.Length];
        Array.Fill(a, 0.25f);
        Array.Fill(b, 0.25f);
        fast(y, dy, a);
        reference(y, dy, b);
        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal(b[i], a[i], 1e-6f);
        }
    }
}
