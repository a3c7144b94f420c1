using Cohort.Federated.Compression;
using Cohort.Federated.Wire;

namespace Cohort.Federated.Tests.Compression;

/// <summary>The vector count of a sparse message's index gaps against reading the varints one by one.</summary>
public class GapBytesTests
{
    [Fact]
    public void GapBytesEndWhereTheKthVarintDoes()
    {
        var random = new Random(7);
        for (int length = 0; length <= 256; length++)
        {
            // Gaps of 1 to 5 bytes, then arbitrary bytes (the message's values) to the end.
            var bytes = new byte[length];
            random.NextBytes(bytes);
            int at = 0, written = 0;
            while (at + 5 <= length * 3 / 4)
            {
                at += Varint.Write(bytes.AsSpan(at), (ulong)random.NextInt64(1L << (7 * random.Next(1, 6))));
                written++;
            }
            for (int k = 0; k <= written; k++)
            {
                Assert.Equal(ByVarints(bytes, k), SparseCode.GapBytes(bytes, k));
            }
        }
    }

    [Fact]
    public void GapsRunningPastTheEndAreRefused()
    {
        var bytes = new byte[64];
        Array.Fill(bytes, (byte)0x80);
        bytes[40] = 1;
        Assert.Equal(41, SparseCode.GapBytes(bytes, 1));
        var error = Assert.Throws<FormatException>(() => SparseCode.GapBytes(bytes, 2));
        Assert.Contains("2 index gaps run past the end", error.Message);
    }

    private static int ByVarints(byte[] bytes, int k)
    {
        int at = 0;
        for (int j = 0; j < k; j++)
        {
            Assert.Equal(VarintRead.Done, Varint.TryRead(bytes, ref at, out _));
        }
        return at;
    }
}
