using System.Text;
using Cohort.Federated.Outputs;

namespace Cohort.Federated.Tests.Outputs;

public class Crc32CTests
{
    [Fact]
    public void Crc32CMatchesTheStandardCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute([]));
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        Assert.Equal(BitwiseCrc32C(data), Crc32C.Compute(data));
    }

    /// <summary>An independent, bit-at-a-time CRC-32C to check the table-driven one against.</summary>
    private static uint BitwiseCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
            }
        }
        return ~crc;
    }
}
