using System.Runtime.Intrinsics;
using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class WinogradTests
{
    [Fact]
    public void MatricesComputeTheFiveTapCorrelation()
    {
        var random = RandomStream.Create(11);
        const int alpha = WinogradTransforms.Alpha;
        var g = new float[5];
        var d = new float[alpha];
        for (int trial = 0; trial < 20; trial++)
        {
            random.FillUniform(g, -1, 1);
            random.FillUniform(d, -1, 1);
            for (int i = 0; i < WinogradTransforms.TileSize; i++)
            {
                double winograd = 0;
                for (int j = 0; j < alpha; j++)
                {
                    double gj = 0, dj = 0;
                    for (int k = 0; k < 5; k++)
                    {
                        gj += WinogradTransforms.G[j, k] * g[k];
                    }
                    for (int l = 0; l < alpha; l++)
                    {
                        dj += WinogradTransforms.BT[j, l] * d[l];
                    }
                    winograd += WinogradTransforms.AT[i, j] * gj * dj;
                }
                double direct = 0;
                for (int k = 0; k < 5; k++)
                {
                    direct += g[k] * d[i + k];
                }
                Assert.Equal(direct, winograd, 1e-6);
            }
        }
    }

    [Fact]
    public unsafe void VectorTransformsMatchTheMatrices()
    {
        const int alpha = WinogradTransforms.Alpha, edge = WinogradTransforms.TileSize;
        var random = RandomStream.Create(12);
        var lanes = new float[alpha * 8];
        random.FillUniform(lanes, -2, 2);
        // The inputs every second vector apart, the outputs every third: the strides are honoured.
        var v = stackalloc Vector256<float>[2 * alpha];
        for (int i = 0; i < alpha; i++)
        {
            v[2 * i] = Vector256.Create(lanes.AsSpan(i * 8, 8));
        }
        var spread = stackalloc Vector256<float>[3 * alpha];
        var o = stackalloc Vector256<float>[alpha];
        WinogradTransforms.InputRow(v, 2, spread, 3);
        Gather(spread, o, alpha);
        AssertProduct(o, alpha, alpha, (r, c) => WinogradTransforms.BT[r, c], lanes);
        WinogradTransforms.InputRowTransposed(v, 2, spread, 3);
        Gather(spread, o, alpha);
        AssertProduct(o, alpha, alpha, (r, c) => WinogradTransforms.BT[c, r], lanes);
        WinogradTransforms.OutputRow(v, 2, spread, 3);
        Gather(spread, o, edge);
        AssertProduct(o, edge, alpha, (r, c) => WinogradTransforms.AT[r, c], lanes);
        WinogradTransforms.OutputRowTransposed(v, 2, spread, 3);
        Gather(spread, o, alpha);
        AssertProduct(o, alpha, edge, (r, c) => WinogradTransforms.AT[c, r], lanes);
    }

    private static unsafe void Gather(Vector256<float>* spread, Vector256<float>* o, int count)
    {
        for (int i = 0; i < count; i++)
        {
            o[i] = spread[3 * i];
        }
    }

    private static unsafe void AssertProduct(Vector256<float>* actual, int rows, int cols, Func<int, int, float> matrix, float[] lanes)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int lane = 0; lane < 8; lane++)
            {
                double expected = 0;
                for (int c = 0; c < cols; c++)
                {
                    expected += matrix(r, c) * lanes[c * 8 + lane];
                }
                Assert.Equal(expected, actual[r].GetElement(lane), 1e-5);
            }
        }
    }

    [Theory]
    [InlineData(1, 8, 8, 5, 5, 0)]
    [InlineData(2, 8, 16, 7, 9, 2)]
    [InlineData(1, 8, 8, 6, 5, 1)]
    [InlineData(2, 16, 8, 11, 4, 3)]
    [InlineData(3, 32, 64, 14, 14, 2)]
    [InlineData(1, 8, 8, 1, 1, 2)]
    [InlineData(11, 8, 16, 7, 6, 2)]
    [InlineData(6, 16, 8, 8, 9, 0)]
    [InlineData(17, 8, 8, 5, 5, 1)]
    public void ForwardAndBackwardMatchTheDirectConvolution(int n, int c, int o, int h, int w, int pad)
    {
        var g = new ConvGeometry(c, h, w, 5, 5, 1, 1, pad, pad);
        Assert.True(WinogradPlan.Supports(g, o));
        var plan = new WinogradPlan(g, n, o);
        int oh = g.OutHeight, ow = g.OutWidth;
        var random = RandomStream.Create(13, n, c, o, h, w, pad);
        var x = Fill(ref random, n * c * h * w);
        var weight = Fill(ref random, o * c * 25);
        var bias = Fill(ref random, o);
        var dy = Fill(ref random, n * o * oh * ow);

        var y = new float[dy.Length];
        var input = new float[plan.InputFloats];
        var filters = new float[plan.FilterFloats];
        WinogradConv.Forward(plan, x, weight, bias, input, filters, new float[plan.FilterFloats], new float[plan.PaddedFloats],
            new float[plan.ProductFloats], new float[plan.OutputTileFloats], y);

        // Gradients accumulate: start from ones and compare against one plus the reference.
        var dw = Ones(weight.Length);
        var db = Ones(o);
        var dx = Ones(x.Length);
        WinogradConv.Backward(plan, dy, input, filters, dw, db, dx, new float[plan.ProductFloats], new float[plan.FilterFloats],
            new float[plan.InputGradFloats], new float[plan.PaddedFloats], new float[plan.OutputTileFloats]);

        var yRef = new double[y.Length];
        var dwRef = new double[dw.Length];
        var dbRef = new double[o];
        var dxRef = new double[dx.Length];
        for (int s = 0; s < n; s++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                for (int i = 0; i < oh; i++)
                {
                    for (int j = 0; j < ow; j++)
                    {
                        int yi = ((s * o + oc) * oh + i) * ow + j;
                        double sum = bias[oc];
                        dbRef[oc] += dy[yi];
                        for (int ch = 0; ch < c; ch++)
                        {
                            for (int a = 0; a < 5; a++)
                            {
                                for (int b = 0; b < 5; b++)
                                {
                                    int r = i + a - pad, col = j + b - pad;
                                    if (r < 0 || r >= h || col < 0 || col >= w)
                                    {
                                        continue;
                                    }
                                    int xi = ((s * c + ch) * h + r) * w + col, wi = ((oc * c + ch) * 5 + a) * 5 + b;
                                    sum += (double)weight[wi] * x[xi];
                                    dwRef[wi] += (double)dy[yi] * x[xi];
                                    dxRef[xi] += (double)dy[yi] * weight[wi];
                                }
                            }
                        }
                        yRef[yi] = sum;
                    }
                }
            }
        }
        AssertClose(yRef, y, 0);
        AssertClose(dwRef, dw, 1);
        AssertClose(dbRef, db, 1);
        AssertClose(dxRef, dx, 1);
    }

    [Theory]
    [InlineData(3, 3, 1, 8, 8)]
    [InlineData(5, 5, 2, 8, 8)]
    [InlineData(5, 5, 1, 3, 8)]
    [InlineData(5, 5, 1, 8, 4)]
    public void OtherConvolutionsAreNotSupported(int kh, int kw, int stride, int c, int o)
    {
        Assert.False(WinogradPlan.Supports(new ConvGeometry(c, 10, 10, kh, kw, stride, stride, 1, 1), o));
    }

    [Fact]
    public void SmallBuffersAreRefusedWithTheShape()
    {
        var plan = new WinogradPlan(new ConvGeometry(8, 6, 6, 5, 5, 1, 1, 0, 0), 1, 8);
        var e = Assert.Throws<ArgumentException>(() => WinogradConv.Forward(plan, new float[8 * 36], new float[8 * 8 * 25], default,
            new float[1], new float[plan.FilterFloats], new float[plan.FilterFloats], new float[plan.PaddedFloats], new float[plan.ProductFloats], new float[plan.OutputTileFloats], new float[8 * 4]));
        Assert.Contains("too small", e.Message);
    }

    private static float[] Fill(ref RandomStream random, int length)
    {
        var values = new float[length];
        random.FillUniform(values, -1, 1);
        return values;
    }

    private static float[] Ones(int length)
    {
        var values = new float[length];
        Array.Fill(values, 1f);
        return values;
    }

    private static void AssertClose(double[] expected, float[] actual, double offset)
    {
        double scale = 1;
        foreach (double e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] + offset - actual[i]) <= 2e-5 * scale, $"element {i}: expected {expected[i] + offset}, got {actual[i]}");
        }
    }
}
