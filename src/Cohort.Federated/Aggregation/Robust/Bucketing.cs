using Cohort.Federated.Config;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Aggregation.Robust;

/// <summary>Bucketing (Karimireddy, He and Jaggi 2022): updates shuffled (seeded by the round) and averaged in buckets of s.</summary>
internal sealed class Bucketing(int size) : IPreAggregation
{
    public static PreAggregationDeclaration Declaration { get; } = new("bucketing", "bucketing (Karimireddy et al. 2022): updates averaged in random buckets", a => a.Config.GetInt("aggregator.bucketing") is > 1 and var size ? new Bucketing(size) : null)
    {
        Keys = [Key.Integer("bucketing", "0", "pre-aggregation: average updates in random buckets of this size (0 or 1: off)", 0)],
        Order = 2,
    };

    public string Name => "bucketing";

    public IReadOnlyList<float[]> Apply(IReadOnlyList<float[]> updates, AggregationContext context)
    {
        var order = Enumerable.Range(0, updates.Count).ToArray();
        var random = RandomStream.Create(context.Seed, RandomStream.Purpose("bucketing"), context.Round);
        random.Shuffle(order.AsSpan());
        var buckets = new List<float[]>();
        for (int start = 0; start < order.Length; start += size)
        {
            var members = order.Skip(start).Take(size).Select(i => updates[i]).ToArray();
            var mean = new float[updates[0].Length];
            VectorMath.Mean(members, mean);
            buckets.Add(mean);
        }
        return buckets;
    }
}
