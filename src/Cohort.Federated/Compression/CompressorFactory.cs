using Cohort.Federated.Config;

namespace Cohort.Federated.Compression;

/// <summary>Builds the compressor that compression.{direction}.name selects, from the keys beside it.</summary>
public static class CompressorFactory
{
    /// <summary>The compressor, or null for none (dense float32 without a frame), lazy and powersgd (run by their own classes).</summary>
    public static ICompressor? Create(ExperimentConfig config, string direction, Segments segments)
    {
        string p = "compression." + direction + ".";
        string name = config.Get(p + "name");
        return name switch
        {
            "none" or "lazy" or "powersgd" => null,
            "sign" => new ScaledSymbols<SignSymbol>(CompressorIds.Sign, name, unbiased: false, segments),
            "terngrad" => new ScaledSymbols<TernarySymbol>(CompressorIds.TernGrad, name, unbiased: true, segments),
            "qsgd" => new Qsgd(config.GetInt(p + "s"), config.GetInt(p + "bucket"), config.GetDouble(p + "p")),
            "stochastic-rounding" => new StochasticRounding(config.GetInt(p + "bits"), config.GetInt(p + "bucket")),
            "natural" => new NaturalCompression(),
            "topk" => new TopK(Count(config, p)),
            "randk" => new RandK(Count(config, p)),
            "threshold" => new ThresholdSparsifier((float)config.GetDouble(p + "threshold")),
            "fp16" => new FloatFormatCompressor<Fp16Format>(CompressorIds.Fp16, name),
            "bf16" => new FloatFormatCompressor<Bf16Format>(CompressorIds.Bf16, name),
            "tf32" => new FloatFormatCompressor<Tf32Format>(CompressorIds.Tf32, name),
            "fp8-e4m3" => new FloatFormatCompressor<Fp8Format<E4M3>>(CompressorIds.Fp8E4M3, name),
            "fp8-e5m2" => new FloatFormatCompressor<Fp8Format<E5M2>>(CompressorIds.Fp8E5M2, name),
            "int8" => new Int8Blocks(config.GetInt(p + "bucket")),
            _ => throw new ConfigException($"{p}name: '{name}' is not available; choose one of: {string.Join(", ", CompressionKeys.Methods)}."),
        };
    }

    private static SparseCount Count(ExperimentConfig config, string p)
    {
        double k = config.GetDouble(p + "k");
        if (k > 1 && k != Math.Floor(k))
        {
            throw new ConfigException($"{p}k: {k} is neither a fraction in (0, 1] nor a whole count.");
        }
        return new SparseCount(k);
    }
}
