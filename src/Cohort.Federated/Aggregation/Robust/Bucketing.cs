using Cohort.Tensors.Random;

namespace Cohort.Federated.Aggregation.Robust;

/// <summary>Bucketing (Karimireddy, He and Jaggi 2022): updates shuffled (seeded by the round) and averaged in buckets of s.</summary>
public sealed class Bucketing(int size) : IPreAggregation
{
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
