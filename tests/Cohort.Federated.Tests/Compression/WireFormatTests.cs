using Cohort.Federated.Compression;

namespace Cohort.Federated.Tests.Compression;

public class WireFormatTests
{
    [Fact]
    public void VarintsBitsAndEliasGammaReadBackInOrder()
    {
        var w = new MessageWriter();
        ulong[] varints = [0, 1, 127, 128, 300, ulong.MaxValue];
        foreach (ulong v in varints)
        {
            w.WriteVarint(v);
        }
        uint[] gammas = [1, 2, 3, 4, 7, 8, 1000, uint.MaxValue];
        foreach (uint g in gammas)
        {
            w.WriteEliasGamma(g);
        }
        w.WriteBits(0b101, 3);
        w.WriteFloat(-2.5f);
        var r = new MessageReader(w.Written);
        foreach (ulong v in varints)
        {
            Assert.Equal(v, r.ReadVarint());
        }
        foreach (uint g in gammas)
        {
            Assert.Equal(g, r.ReadEliasGamma());
        }
        Assert.Equal(0b101u, r.ReadBits(3));
        Assert.Equal(-2.5f, r.ReadFloat());
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void EliasGammaCodeHasTheTextbookLength()
    {
        // γ(v) takes 2⌊log₂v⌋ + 1 bits: 1 → "1", 2 → "010", 5 → "00101".
        var w = new MessageWriter();
        w.WriteEliasGamma(5);
        w.FlushBits();
        Assert.Equal(1, w.Length);
        Assert.Equal(0b10100, w.Written[0]); // LSB first: 0,0,1,0,1
        w.Clear();
        for (int i = 0; i < 8; i++)
        {
            w.WriteEliasGamma(1);
        }
        Assert.Equal(1, w.Length);
        Assert.Equal(0xFF, w.Written[0]);
    }

    [Fact]
    public void HeaderNamesTheCompressorAndTheCountsAndDecodingRefusesAMismatch()
    {
        var input = Codes.Normal(1000, 3);
        var (message, decoded) = Codes.Send(new DenseFloat32(), input);
        Assert.Equal(input, decoded);
        Assert.Equal(Codes.Framed(1000, 4000), message.Length);
        Assert.Equal(CompressorIds.Dense, message[0]);
        Assert.Throws<FormatException>(() => CompressedMessage.Decode(new NaturalCompression(), message, new float[1000]));
        Assert.Throws<FormatException>(() => CompressedMessage.Decode(new DenseFloat32(), message, new float[999]));
        Assert.Throws<FormatException>(() => CompressedMessage.Decode(new DenseFloat32(), message.AsSpan(0, message.Length - 1), new float[1000]));
    }

    public static TheoryData<string> Methods() => [.. CompressionKeys.Methods.Where(m => m is not "none" and not "lazy" and not "powersgd")];

    [Theory]
    [MemberData(nameof(Methods))]
    public void EveryCompressorRoundTripsItsBytesAndReEncodesToTheSameBytes(string name)
    {
        var compressor = name == "threshold" ? CompressorTable.Create(name, "compression.uplink.threshold=0.02") : CompressorTable.Create(name);
        var input = Codes.Normal(3001, 5, 0.01f);
        var (message, decoded) = Codes.Send(compressor, input);
        var (again, decodedAgain) = Codes.Send(compressor, input);
        Assert.Equal(message, again);
        Assert.Equal(decoded, decodedAgain);
        Assert.True(message.Length < 4 * input.Length, $"{name}: {message.Length} bytes for {input.Length} values");
        // The number formats are idempotent: a decoded value is representable.
        if (name is "fp16" or "bf16" or "tf32" or "fp8-e4m3" or "fp8-e5m2")
        {
            Assert.Equal(decoded, Codes.Send(compressor, decoded).Decoded);
        }
    }
}
