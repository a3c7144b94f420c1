using Cohort.Federated.Compression;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Compression;

public class FixedWidthBitsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(19)]
    [InlineData(31)]
    [InlineData(32)]
    public void PackAndUnpackMatchTheBitStreamOneCodeAtATime(int width)
    {
        foreach (int n in Kernels.Lengths())
        {
            var codes = new uint[n];
            var random = RandomStream.Create((ulong)width, n);
            random.Fill(codes);
            var writer = new MessageWriter();
            foreach (uint code in codes)
            {
                writer.WriteBits(code, width);
            }
            writer.FlushBits();
            var packed = new byte[FixedWidthBits.Bytes(n, width)];
            FixedWidthBits.Pack(codes, width, packed);
            Assert.Equal(writer.Written.ToArray(), packed);
            var unpacked = new uint[n];
            FixedWidthBits.Unpack(packed, width, unpacked);
            var reader = new MessageReader(packed);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(reader.ReadBits(width), unpacked[i]);
            }
        }
    }
}
