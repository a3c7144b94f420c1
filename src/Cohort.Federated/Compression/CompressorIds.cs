namespace Cohort.Federated.Compression;

/// <summary>The compressor ids of the message header; fixed forever, as receivers dispatch on them.</summary>
internal static class CompressorIds
{
    public const byte Dense = 0;
    public const byte Fp16 = 1;
    public const byte Bf16 = 2;
    public const byte Tf32 = 3;
    public const byte Fp8E4M3 = 4;
    public const byte Fp8E5M2 = 5;
    public const byte Int8 = 6;
    public const byte Sign = 7;
    public const byte TernGrad = 8;
    public const byte Qsgd = 9;
    public const byte StochasticRounding = 10;
    public const byte Natural = 11;
    public const byte TopK = 12;
    public const byte RandK = 13;
    public const byte Threshold = 14;
    public const byte Skip = 15;
}
