using Cohort.Tensors.Random;

namespace Cohort.Federated.Engine;

/// <summary>
/// Draws a cohort (or another sample of clients): K of N clients without replacement, from the stream
/// keyed by what the sample serves: (seed, purpose, version) for the first draw of a model version, with
/// the draw's number appended for later ones (a method's later exchanges, an asynchronous server's later
/// dispatches), so a synchronous run's cohorts come from the same (seed, purpose, round) streams as always.
/// </summary>
internal static class ClientSampler
{
    public static int[] Sample(int clients, int cohort, ulong seed, int round, string purpose = "cohort", int draw = 0)
    {
        if (cohort >= clients)
        {
            return Enumerable.Range(0, clients).ToArray();
        }
        var random = draw == 0
            ? RandomStream.Create(seed, RandomStream.Purpose(purpose), round)
            : RandomStream.Create(seed, RandomStream.Purpose(purpose), round, draw);
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
