using Cohort.Tensors.Random;

namespace Cohort.Data.Partitioning;

/// <summary>
/// Label-skewed split (Hsu et al. 2019): for every label, the clients' shares are drawn from
/// Dirichlet(α); small α gives few labels per client, large α approaches IID. Draws are repeated
/// (a bounded number of times) until every client holds at least <c>MinSize</c> samples, as the
/// common reference implementations do.
/// </summary>
public sealed class DirichletPartitioner(double alpha, int minSize = 10) : IPartitioner
{
    public string Kind => "dirichlet";

    public double Alpha { get; } = alpha > 0 && double.IsFinite(alpha)
        ? alpha
        : throw new ArgumentException($"partition.alpha must be a positive number; got {alpha}.");

    public int MinSize { get; } = minSize;

    public int[][] Split(Dataset train, int clients, ref RandomStream random)
    {
        var byLabel = Partitioner.GroupByLabel(train, train.Classes);
        int minSize = Math.Min(MinSize, train.Count / clients);
        int[][] parts = [];
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            parts = Draw(byLabel, clients, ref random);
            if (parts.All(p => p.Length >= minSize))
            {
                return parts;
            }
        }
        return parts;
    }

    private int[][] Draw(int[][] byLabel, int clients, ref RandomStream random)
    {
        var lists = Enumerable.Range(0, clients).Select(_ => new List<int>()).ToArray();
        var weights = new long[clients];
        var p = new double[clients];
        foreach (var labelIndices in byLabel)
        {
            var indices = (int[])labelIndices.Clone();
            random.Shuffle(indices.AsSpan());
            Gamma.Dirichlet(Alpha, p, ref random);
            for (int k = 0; k < clients; k++)
            {
                weights[k] = (long)Math.Round(p[k] * 1e12);
            }
            int[] quota = Partitioner.Apportion(indices.Length, weights);
            int next = 0;
            for (int k = 0; k < clients; k++)
            {
                lists[k].AddRange(indices.AsSpan(next, quota[k]).ToArray());
                next += quota[k];
            }
        }
        return lists.Select(l => l.Order().ToArray()).ToArray();
    }
}
