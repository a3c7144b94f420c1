using Cohort.Federated.Attacks;
using Cohort.Federated.Config;

namespace Cohort.Federated.Aggregation;

/// <summary>
/// The number f of Byzantine updates a robust rule is asked to tolerate in a round, and each rule's
/// condition on the n updates it combines, checked at start.
/// </summary>
internal static class ByzantineTolerance
{
    /// <summary>
    /// aggregator.f, or by default the expected number of Byzantine clients in a cohort:
    /// ⌈cohort × b / clients⌉ with b the Byzantine clients of the population (a cohort is drawn
    /// uniformly). Rounded up, so a cohort that holds exactly the expected share is covered.
    /// </summary>
    public static int F(ExperimentConfig config, int clients, int cohort)
    {
        if (config.GetOptionalInt("aggregator.f") is { } f)
        {
            return f;
        }
        long byzantine = AttackFactory.ByzantineCount(config, clients);
        return clients == 0 ? 0 : (int)((cohort * byzantine + clients - 1) / clients);
    }

    /// <summary>Refuses a cohort of <paramref name="n"/> updates (⌈n/s⌉ after bucketing) that breaks the rule's condition for f.</summary>
    public static void Check(ExperimentConfig config, int n, int f)
    {
        string rule = config.Get("aggregator.name");
        int bucket = config.GetInt("aggregator.bucketing");
        // Bucketing turns n updates into ⌈n/s⌉ means, of which up to f can hold a Byzantine update.
        int inputs = bucket > 1 ? (n + bucket - 1) / bucket : n;
        string what = bucket > 1 ? $"n = {inputs} buckets ({n} clients per round in buckets of {bucket})" : $"n = {n} clients per round";
        if (config.GetBool("aggregator.nnm") && n <= 2 * f)
        {
            Refuse("aggregator.nnm", "n > 2f (Allouah et al. 2023)", $"n = {n} clients per round", f);
        }
        (int Needed, string Condition)? condition = rule switch
        {
            "krum" or "multi-krum" => (2 * f + 3, "n ≥ 2f + 3 (Blanchard et al. 2017)"),
            "bulyan" => (4 * f + 3, "n ≥ 4f + 3 (El Mhamdi et al. 2018)"),
            "trimmed-mean" => (2 * f + 1, "n > 2f: f trimmed from each end leave at least one value (Yin et al. 2018)"),
            "median" or "geometric-median" or "centered-clipping" => (2 * f + 1, "n > 2f: an honest majority, the rule's breakdown point"),
            "zeno" => (f + 1, "n > f: at least one honest update (Xie et al. 2019)"),
            _ => null,
        };
        if (condition is { } c && inputs < c.Needed)
        {
            Refuse($"aggregator.name {rule}", c.Condition, what, f);
        }
    }

    private static void Refuse(string key, string condition, string what, int f) =>
        throw new ConfigException($"{key} needs {condition}, but {what} and f = {f} Byzantine (aggregator.f, by default the expected Byzantine clients of a cohort). Sample more clients per round (clients_per_round) or lower aggregator.f.");
}
