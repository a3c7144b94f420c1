using Cohort.Tensors.Random;

namespace Cohort.Data.Partitioning;

/// <summary>
/// Quantity skew: labels stay IID but client sizes differ, drawn from a log-normal(0, σ) or a power law
/// (Pareto with the given exponent); every client keeps at least one sample.
/// </summary>
public sealed class QuantityPartitioner(string distribution = "lognormal", double parameter = 1.0) : IPartitioner
{
    public string Kind => "quantity";

    public string Distribution { get; } = distribution is "lognormal" or "powerlaw"
        ? distribution
        : throw new ArgumentException($"partition.distribution must be lognormal or powerlaw; got '{distribution}'.");

    public double Parameter { get; } = parameter > 0 && double.IsFinite(parameter)
        ? parameter
        : throw new ArgumentException($"partition.sigma / partition.exponent must be positive; got {parameter}.");

    public int[][] Split(Dataset train, int clients, ref RandomStream random)
    {
        if (train.Count < clients)
        {
            throw new ArgumentException($"Quantity partition: {clients} clients need at least {clients} samples; the data has {train.Count}.");
        }
        var weights = new long[clients];
        for (int k = 0; k < clients; k++)
        {
            double w = Distribution == "lognormal"
                ? Math.Exp(Parameter * Gamma.Normal(ref random))
                : Math.Pow(1.0 - random.NextDouble(), -1.0 / Parameter);
            weights[k] = (long)Math.Round(Math.Min(w, 1e6) * 1e6);
        }
        // One sample each first, the rest in proportion to the weights.
        int[] sizes = Partitioner.Apportion(train.Count - clients, weights);
        var order = Enumerable.Range(0, train.Count).ToArray();
        random.Shuffle(order.AsSpan());
        var parts = new int[clients][];
        int start = 0;
        for (int k = 0; k < clients; k++)
        {
            int size = sizes[k] + 1;
            parts[k] = order.AsSpan(start, size).ToArray();
            Array.Sort(parts[k]);
            start += size;
        }
        return parts;
    }
}
