using Cohort.Federated.Engine;
using Cohort.Tensors.Random;

namespace Cohort.Transport.Server;

/// <summary>
/// Over-selection: besides the sampled cohort, tasks go to a few more registered clients, drawn from
/// the (seed, round) stream, and the round takes the first cohort-size updates to arrive.
/// </summary>
internal static class OverSelection
{
    public static int[] StandIns(CohortRound round, RoundRules rules, ClientRegistry registry, ulong seed)
    {
        int extra = (int)Math.Ceiling(round.Clients.Length * rules.OverSelect);
        if (extra == 0)
        {
            return [];
        }
        var cohort = round.Clients.ToHashSet();
        var candidates = registry.All().Select(r => r.Client).Where(c => !cohort.Contains(c)).ToArray();
        RandomStream.Create(seed, RandomStream.Purpose("overselect"), round.Round).Shuffle(candidates.AsSpan());
        return candidates[..Math.Min(extra, candidates.Length)];
    }
}
