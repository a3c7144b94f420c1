using Cohort.Tensors.Random;

namespace Cohort.Federated.Engine;

/// <summary>Draws each round's cohort: K of N clients without replacement, from the (seed, round) stream.</summary>
public static class ClientSampler
{
    public static int[] Sample(int clients, int cohort, ulong seed, int round)
    {
        if (cohort >= clients)
        {
            return Enumerable.Range(0, clients).ToArray();
        }
        var random = RandomStream.Create(seed, RandomStream.Purpose("cohort"), round);
        var all = Enumerable.Range(0, clients).ToArray();
        // Partial Fisher-Yates: the first K positions are a uniform sample.
        for (int i = 0; i < cohort; i++)
        {
            int j = i + random.NextInt(clients - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        var chosen = all[..cohort];
        Array.Sort(chosen);
        return chosen;
    }
}
