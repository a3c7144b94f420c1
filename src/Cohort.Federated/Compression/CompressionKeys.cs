using Cohort.Federated.Config;

namespace Cohort.Federated.Compression;

/// <summary>The compression.uplink.* and compression.downlink.* keys: the method, error feedback and each method's parameters.</summary>
public static class CompressionKeys
{
    public static readonly string[] Methods =
    [
        "none", "sign", "terngrad", "qsgd", "stochastic-rounding", "natural", "topk", "randk", "threshold",
        "fp16", "bf16", "tf32", "fp8-e4m3", "fp8-e5m2", "int8", "lazy", "powersgd",
    ];

    /// <summary>compression.uplink.error_feedback as set, else ef with powersgd and none with any other method.</summary>
    public static string UplinkFeedback(ExperimentConfig config) =>
        config.GetOptional("compression.uplink.error_feedback") ?? (config.Get("compression.uplink.name") == "powersgd" ? "ef" : "none");

    public static IEnumerable<KeySpec> For(string direction)
    {
        string p = "compression." + direction + ".";
        yield return new(p + "name", KeyType.Choice, "none", $"{direction} compression") { Choices = Methods };
        bool up = direction == "uplink";
        // Unset on the uplink, it follows the method: PowerSGD runs with EF as in its paper (Vogels et al. 2019).
        yield return new(p + "error_feedback", KeyType.Choice, up ? null : "none", $"{direction} error feedback for a biased compressor: ef (residual carried to the next round) or ef21 (EF21-PP, Fatkhullin et al. 2021){(up ? " (default ef with powersgd, none otherwise)" : "")}")
        {
            Choices = up ? ["none", "ef", "ef21"] : ["none"],
            Optional = up,
        };
        yield return new(p + "k", KeyType.Number, "0.01", "topk, randk: values kept, a fraction (≤ 1) or a count (> 1)") { Min = 1e-9 };
        yield return new(p + "s", KeyType.Integer, "16", "qsgd: quantization levels s") { Min = 1, Max = 1 << 20 };
        yield return new(p + "p", KeyType.Number, "2", "qsgd: the norm ‖v‖_p the levels scale") { Min = 1, Max = 1e6 };
        yield return new(p + "bucket", KeyType.Integer, "512", "qsgd, stochastic-rounding, int8: values sharing one scale") { Min = 1, Max = int.MaxValue };
        yield return new(p + "bits", KeyType.Integer, "4", "stochastic-rounding: bits a value") { Min = 1, Max = 16 };
        yield return new(p + "threshold", KeyType.Number, "0.001", "threshold: values with |x| at least this are sent") { Min = 0 };
        yield return new(p + "rank", KeyType.Integer, "2", "powersgd: rank r of each weight matrix's factors") { Min = 1, Max = 1024 };
        yield return new(p + "lazy_ratio", KeyType.Number, "0.1", "lazy: skip the upload when ‖u − last sent‖ ≤ ratio·‖u‖") { Min = 0 };
    }
}
