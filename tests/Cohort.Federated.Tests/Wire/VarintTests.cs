using Cohort.Federated.Wire;

namespace Cohort.Federated.Tests.Wire;

public class VarintTests
{
    // Protobuf's documented encodings (protobuf.dev, "Encoding": 1, 150, 300) and the edges of each byte count.
    public static TheoryData<ulong, string> Vectors => new()
    {
        { 0UL, "00" },
        { 1UL, "01" },
        { 127UL, "7F" },
        { 128UL, "80 01" },
        { 150UL, "96 01" },
        { 300UL, "AC 02" },
        { 16_383UL, "FF 7F" },
        { 16_384UL, "80 80 01" },
        { int.MaxValue, "FF FF FF FF 07" },
        { uint.MaxValue, "FF FF FF FF 0F" },
        { long.MaxValue, "FF FF FF FF FF FF FF FF 7F" },
        { ulong.MaxValue, "FF FF FF FF FF FF FF FF FF 01" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void WritesTheDocumentedBytes(ulong value, string hex)
    {
        byte[] expected = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        var bytes = new byte[Varint.MaxBytes];
        int n = Varint.Write(bytes, value);
        Assert.Equal(expected, bytes[..n]);
        Assert.Equal(expected.Length, Varint.Size(value));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void ReadsTheDocumentedBytesAndStopsAfterThem(ulong value, string hex)
    {
        byte[] bytes = [.. Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), 0x2A];
        int at = 0;
        Assert.Equal(VarintRead.Done, Varint.TryRead(bytes, ref at, out ulong read));
        Assert.Equal(value, read);
        Assert.Equal(bytes.Length - 1, at);
    }

    [Fact]
    public void ReadsFromTheGivenPosition()
    {
        byte[] bytes = [0x01, 0xAC, 0x02, 0x96, 0x01];
        int at = 1;
        Assert.Equal(VarintRead.Done, Varint.TryRead(bytes, ref at, out ulong first));
        Assert.Equal(VarintRead.Done, Varint.TryRead(bytes, ref at, out ulong second));
        Assert.Equal((300UL, 150UL, 5), (first, second, at));
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("FF FF FF")]
    public void BytesEndingInsideAVarintAreTruncated(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        int at = 0;
        Assert.Equal(VarintRead.Truncated, Varint.TryRead(bytes, ref at, out _));
    }

    [Fact]
    public void ElevenBytesAreTooLong()
    {
        byte[] bytes = [.. Enumerable.Repeat((byte)0x80, 10), 0x01];
        int at = 0;
        Assert.Equal(VarintRead.TooLong, Varint.TryRead(bytes, ref at, out _));
    }

    [Fact]
    public void OnlyTheHighBitContinues()
    {
        Assert.True(Varint.Continues(0x80));
        Assert.True(Varint.Continues(0xFF));
        Assert.False(Varint.Continues(0x7F));
        Assert.False(Varint.Continues(0x00));
    }
}
