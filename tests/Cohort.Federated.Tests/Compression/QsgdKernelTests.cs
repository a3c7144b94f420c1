using Cohort.Federated.Compression;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Compression;

/// <summary>QSGD's vector levels and table-driven gamma codes against the one-bit-at-a-time reference.</summary>
public class QsgdKernelTests
{
    [Theory]
    [InlineData(16, 512, false)]
    [InlineData(16, 37, true)]
    [InlineData(1, 64, true)]
    [InlineData(255, 100, true)]
    [InlineData(1 << 20, 300, true)]
    public void EncodeAndDecodeMatchTheScalarCode(int levels, int bucket, bool specials)
    {
        var qsgd = new Qsgd(levels, bucket, 2);
        foreach (int n in Kernels.Lengths())
        {
            var input = Kernels.Input(n, (ulong)n, specials, std: 0.01f);
            var fast = new MessageWriter();
            var slow = new MessageWriter();
            var a = RandomStream.Create(8, (long)n);
            var b = RandomStream.Create(8, (long)n);
            qsgd.Encode(input, ref a, fast);
            fast.FlushBits();
            qsgd.EncodeScalar(input, ref b, slow);
            Assert.Equal(slow.Written.ToArray(), fast.Written.ToArray());
            var decoded = new float[n];
            var reference = new float[n];
            var reader = new MessageReader(fast.Written);
            qsgd.Decode(ref reader, decoded);
            Assert.Equal(0, reader.Remaining);
            var scalarReader = new MessageReader(fast.Written);
            qsgd.DecodeScalar(ref scalarReader, reference);
            Assert.Equal(Kernels.Bits(reference), Kernels.Bits(decoded));
        }
    }

    [Fact]
    public void LevelsAboveSAndTruncatedCodesAreRefused()
    {
        var qsgd = new Qsgd(4, 8, 2);
        // γ(6) = 00110: level 5 > s = 4.
        var writer = new MessageWriter();
        writer.WriteFloat(1f);
        writer.WriteEliasGamma(6);
        writer.WriteBits(0, 1);
        writer.FlushBits();
        Assert.Throws<FormatException>(() => Decode(qsgd, writer.Written.ToArray(), 1));
        // Eight values need more bits than one byte of codes holds.
        writer.Clear();
        writer.WriteFloat(1f);
        writer.WriteEliasGamma(3);
        writer.WriteBits(1, 1);
        writer.FlushBits();
        Assert.Throws<FormatException>(() => Decode(qsgd, writer.Written.ToArray(), 8));
        // All zeros: no code ends.
        Assert.Throws<FormatException>(() => Decode(qsgd, [0, 0, 128, 63, 0, 0, 0, 0, 0, 0, 0, 0, 0], 2));
    }

    private static void Decode(Qsgd qsgd, byte[] bytes, int n)
    {
        var reader = new MessageReader(bytes);
        qsgd.Decode(ref reader, new float[n]);
    }
}
