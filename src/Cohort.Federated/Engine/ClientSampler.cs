using Cohort.Tensors.Random;

namespace Cohort.Federated.Engine;

/// <summary>Draws each round's cohort (or another sample of clients): K of N clients without replacement, from the (seed, purpose, round) stream.</summary>
internal static class ClientSampler
{
    public static int[] Sample(int clients, int cohort, ulong seed, int round, string purpose = "cohort")
    {
        if (cohort >= clients)
        {
            return Enumerable.Range(0, clients).ToArray();
        }
        var random = RandomStream.Create(seed, RandomStream.Purpose(purpose), round);
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
