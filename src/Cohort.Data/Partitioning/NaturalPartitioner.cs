using Cohort.Tensors.Random;

namespace Cohort.Data.Partitioning;

/// <summary>The data's own clients: a CSV's client-id column, one text file per client, LEAF's generated users.</summary>
public sealed class NaturalPartitioner : IPartitioner
{
    public string Kind => "natural";

    public int[][] Split(Dataset train, int clients, ref RandomStream random)
    {
        if (train.ClientIds is null)
        {
            throw new ArgumentException($"partition.kind natural: data set '{train.Name}' has no client ids (use a CSV client column, a text folder, or synthetic data).");
        }
        int natural = train.ClientNames?.Count ?? (train.ClientIds.Length == 0 ? 0 : train.ClientIds.Max() + 1);
        if (clients != natural)
        {
            throw new ArgumentException($"partition.clients is {clients} but data set '{train.Name}' has {natural} natural clients.");
        }
        return ByClient(train, natural);
    }

    internal static int[][] ByClient(Dataset data, int clients)
    {
        var lists = Enumerable.Range(0, clients).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < data.Count; i++)
        {
            int k = data.ClientIds![i];
            if ((uint)k < (uint)clients)
            {
                lists[k].Add(i);
            }
        }
        return lists.Select(l => l.ToArray()).ToArray();
    }
}
