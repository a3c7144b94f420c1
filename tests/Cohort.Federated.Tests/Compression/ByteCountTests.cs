using Cohort.Federated.Compression;

namespace Cohort.Federated.Tests.Compression;

public class ByteCountTests
{
    private const int N = 1000;

    [Theory]
    [InlineData("fp16", 16)]
    [InlineData("bf16", 16)]
    [InlineData("tf32", 19)]
    [InlineData("fp8-e4m3", 8)]
    [InlineData("fp8-e5m2", 8)]
    [InlineData("natural", 9)]
    public void FixedWidthCodesTakeTheirBitsPerValue(string name, int bits)
    {
        var (message, _) = Codes.Send(CompressorTable.Create(name), Codes.Normal(N, 1));
        Assert.Equal(Codes.Framed(N, Codes.Bytes((long)bits * N)), message.Length);
    }

    [Fact]
    public void Int8TakesAScaleABlockAndAByteAValue()
    {
        var (message, decoded) = Codes.Send(CompressorTable.Create("int8", "compression.uplink.bucket=300"), Codes.Normal(N, 1));
        Assert.Equal(Codes.Framed(N, 4 * 4 + N), message.Length);
        Assert.Equal(N, decoded.Length);
    }

    [Fact]
    public void SignTakesAScaleAndABitAValuePerTensor()
    {
        var sign = new ScaledSymbols<SignSymbol>(CompressorIds.Sign, "sign", false, new Segments([10, 990]));
        var input = Codes.Normal(N, 2);
        var (message, decoded) = Codes.Send(sign, input);
        Assert.Equal(Codes.Framed(N, 4 + 2 + 4 + 124), message.Length);
        float first = input.AsSpan(0, 10).ToArray().Average(MathF.Abs);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(input[i] < 0 ? -first : first, decoded[i], 1e-6f);
        }
        Assert.All(decoded.Skip(10), v => Assert.Equal(Math.Abs(decoded[10]), Math.Abs(v)));
    }

    [Fact]
    public void StochasticRoundingTakesTwoFloatsABucketAndBBitsAValue()
    {
        var (message, _) = Codes.Send(CompressorTable.Create("stochastic-rounding", "compression.uplink.bits=3", "compression.uplink.bucket=512"), Codes.Normal(N, 1));
        Assert.Equal(Codes.Framed(N, 2 * 8 + Codes.Bytes(3 * N)), message.Length);
    }

    [Fact]
    public void TernGradTakesAScaleAndTwoBitsAValue()
    {
        var (message, _) = Codes.Send(CompressorTable.Create("terngrad"), Codes.Normal(N, 1));
        Assert.Equal(Codes.Framed(N, 4 + Codes.Bytes(2 * N)), message.Length);
    }

    [Fact]
    public void QsgdTakesANormABucketAndAGammaCodeAndSignAValue()
    {
        var input = Codes.Normal(N, 4);
        var (message, decoded) = Codes.Send(CompressorTable.Create("qsgd", "compression.uplink.bucket=400"), input);
        long payload = 0;
        for (int start = 0; start < N; start += 400)
        {
            int length = Math.Min(400, N - start);
            float unit = (float)Math.Sqrt(input.Skip(start).Take(length).Sum(v => (double)v * v)) / 16;
            long bits = 0;
            foreach (float v in decoded.AsSpan(start, length))
            {
                int level = (int)Math.Round(Math.Abs(v) / unit);
                bits += 2 * (31 - System.Numerics.BitOperations.LeadingZeroCount((uint)level + 1)) + 1 + (level > 0 ? 1 : 0);
            }
            payload += 4 + Codes.Bytes(bits);
        }
        Assert.Equal(Codes.Framed(N, (int)payload), message.Length);
    }

    [Fact]
    public void SparseCodesTakeGapVarintsAndFloats()
    {
        var input = new float[N];
        input[3] = 5;
        input[200] = -7;
        input[999] = 6;
        var (message, decoded) = Codes.Send(CompressorTable.Create("topk", "compression.uplink.k=3"), input);
        // k, gaps 3, 196, 798 (1 + 2 + 2 bytes), three floats.
        Assert.Equal(Codes.Framed(N, 1 + 5 + 12), message.Length);
        Assert.Equal(input, decoded);
        var (thresholded, kept) = Codes.Send(CompressorTable.Create("threshold", "compression.uplink.threshold=5.5"), input);
        Assert.Equal(Codes.Framed(N, 1 + 2 + 2 + 8), thresholded.Length);
        Assert.Equal([0f, -7f, 6f], new[] { kept[3], kept[200], kept[999] });
    }
}
