using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Simd;

namespace Cohort.Tensors.Tests.Simd;

public class BlockLoopTests
{
    // Which path wrote each element: the vector path adds 1000 to the path mark, the scalar one 2000.
    private const float VectorMark = 1000f, ScalarMark = 2000f;

    public static IEnumerable<object[]> Lengths() => Enumerable.Range(0, 257).Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Lengths))]
    public void EveryElementOnceWholeBlocksFirstThenTheTail(int length)
    {
        var x = Enumerable.Range(0, length).Select(i => (float)i).ToArray();
        var y = new float[length];
        AssertPaths(new Mark<Eight>(x, y), y, 8);
        y = new float[length];
        AssertPaths(new Mark<ThirtyTwo>(x, y), y, 32);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AVectorStepMatchesTheScalarReference(int length)
    {
        var x = Enumerable.Range(0, length).Select(i => (i - 100) * 0.37f).ToArray();
        var y = new float[length];
        BlockLoop.Run(new Affine(x, y, 1.5f, -0.25f), length);
        for (int i = 0; i < length; i++)
        {
            // y = 1.5x − 0.25, written out by hand for each element.
            Assert.Equal(1.5f * x[i] + -0.25f, y[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AScanStopsWhereTheScalarSearchDoes(int length)
    {
        // The first index of each value below 300 (none, at every position, past the end), found by hand.
        var x = Enumerable.Range(0, length).Select(i => (float)(i * 7 % 300)).ToArray();
        foreach (float target in new[] { 0f, 7f, 140f, 203f, -1f })
        {
            int expected = Array.IndexOf(x, target);
            var find = new Find(x, target);
            int end = BlockLoop.RunWhile(ref find, length);
            Assert.Equal(expected < 0 ? length : expected, end);
            // Every block before the one holding the target went by the vector path, when it runs at all.
            int blocks = Vector256.IsHardwareAccelerated ? (expected < 0 ? length : expected) / 8 : 0;
            Assert.Equal(Math.Min(blocks, length / 8), find.VectorSteps);
        }
    }

    private static void AssertPaths<TOp>(TOp op, float[] y, int width)
        where TOp : struct, IBlockOperator, allows ref struct
    {
        BlockLoop.Run(op, y.Length);
        int vectorEnd = Vector256.IsHardwareAccelerated ? y.Length / width * width : 0;
        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal(i + (i < vectorEnd ? VectorMark : ScalarMark), y[i]);
        }
    }

    private readonly ref struct Mark<TWidth>(float[] x, float[] y) : IBlockOperator
        where TWidth : IWidth
    {
        private readonly ReadOnlySpan<float> _x = x;
        private readonly Span<float> _y = y;

        public static int Width => TWidth.Value;

        public void Vector(int i)
        {
            for (int part = 0; part < Width; part += 8)
            {
                // Adding (not storing) shows an element written twice.
                var sum = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_y), (nuint)(i + part))
                    + Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_x), (nuint)(i + part)) + Vector256.Create(VectorMark);
                sum.StoreUnsafe(ref MemoryMarshal.GetReference(_y), (nuint)(i + part));
            }
        }

        public void Scalar(int i) => _y[i] += _x[i] + ScalarMark;
    }

    private readonly ref struct Affine(ReadOnlySpan<float> x, Span<float> y, float a, float b) : IBlockOperator
    {
        private readonly ReadOnlySpan<float> _x = x;
        private readonly Span<float> _y = y;

        public static int Width => 8;

        public void Vector(int i) =>
            (Vector256.Create(a) * Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_x), (nuint)i) + Vector256.Create(b))
                .StoreUnsafe(ref MemoryMarshal.GetReference(_y), (nuint)i);

        public void Scalar(int i) => _y[i] = a * _x[i] + b;
    }

    /// <summary>Stops at the first element equal to the target; the vector path refuses the block holding it.</summary>
    private ref struct Find(ReadOnlySpan<float> x, float target) : IBlockScan
    {
        private readonly ReadOnlySpan<float> _x = x;

        public int VectorSteps { get; private set; }

        public static int Width => 8;

        public bool Vector(int i)
        {
            if (Vector256.EqualsAny(Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_x), (nuint)i), Vector256.Create(target)))
            {
                return false;
            }
            VectorSteps++;
            return true;
        }

        public readonly bool Scalar(int i) => _x[i] != target;
    }

    private interface IWidth
    {
        static abstract int Value { get; }
    }

    private readonly struct Eight : IWidth
    {
        public static int Value => 8;
    }

    private readonly struct ThirtyTwo : IWidth
    {
        public static int Value => 32;
    }
}
