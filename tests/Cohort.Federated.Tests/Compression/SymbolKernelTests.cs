using Cohort.Federated.Compression;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Compression;

/// <summary>The vector paths of the sign and TernGrad symbols against their scalar references.</summary>
public class SymbolKernelTests
{
    [Fact]
    public void SignBitsPackAndUnpackAsTheScalarCode()
    {
        foreach (int n in Kernels.Lengths())
        {
            var input = Kernels.Input(n, (ulong)n, specials: true);
            var fast = new byte[SignBits.Bytes(n)];
            var slow = new byte[SignBits.Bytes(n)];
            SignBits.Pack(input, fast);
            SignBits.PackScalar(input, slow);
            Assert.Equal(slow, fast);
            var decoded = new float[n];
            var reference = new float[n];
            SignBits.Unpack(fast, -0.25f, decoded);
            SignBits.UnpackScalar(fast, -0.25f, reference);
            Assert.Equal(Kernels.Bits(reference), Kernels.Bits(decoded));
            input.CopyTo(decoded, 0);
            input.CopyTo(reference, 0);
            SignBits.FlipSigns(fast, decoded);
            SignBits.FlipSignsScalar(fast, reference);
            Assert.Equal(Kernels.Bits(reference), Kernels.Bits(decoded));
            Assert.All(decoded, v => Assert.Equal(0u, BitConverter.SingleToUInt32Bits(v) >> 31));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TernaryPackAndUnpackAsTheScalarCode(bool specials)
    {
        foreach (int n in Kernels.Lengths())
        {
            var input = Kernels.Input(n, (ulong)n + 1, specials);
            if (specials && n > 5)
            {
                // A finite scale with the special values' infinities and NaNs still in the tensor.
                input[5] = 1e30f;
            }
            float scale = specials || n == 0 ? 1e30f : TernarySymbol.Scale(input);
            var fast = new byte[(n + 3) / 4];
            var slow = new byte[(n + 3) / 4];
            var a = RandomStream.Create(3, (long)n);
            var b = RandomStream.Create(3, (long)n);
            TernarySymbol.Pack(input, scale, ref a, fast);
            TernarySymbol.PackScalar(input, scale, ref b, slow);
            Assert.Equal(slow, fast);
            Assert.Equal(b.NextUInt32(), a.NextUInt32());
            var decoded = new float[n];
            var reference = new float[n];
            TernarySymbol.Unpack(fast, scale, decoded);
            TernarySymbol.UnpackScalar(fast, scale, reference);
            Assert.Equal(Kernels.Bits(reference), Kernels.Bits(decoded));
        }
    }

    [Fact]
    public void TernaryRefusesSymbolThreeAnywhere()
    {
        foreach (int at in new[] { 0, 31, 32, 100, 255 })
        {
            var bytes = new byte[64];
            bytes[at / 4] = (byte)(3 << (2 * (at % 4)));
            Assert.Throws<FormatException>(() => TernarySymbol.Unpack(bytes, 1f, new float[256]));
        }
    }
}
