using Cohort.Federated.Algorithms;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Tests.Stages;

/// <summary>A cohort executor whose clients send fixed updates (client k sends updates[k]), each counting <c>samples[k]</c> samples.</summary>
internal sealed class FixedCohort(float[][] updates, int[] samples) : ICohortExecutor
{
    public int Samples(int client) => samples[client];

    public int Run(CohortRound round, UpdateSink accept, CancellationToken cancel)
    {
        for (int slot = 0; slot < round.Clients.Length; slot++)
        {
            int client = round.Clients[slot];
            accept(slot, client, updates[client], new ClientReport(new ClientResult(samples[client], 0, 1), 4L * updates[client].Length));
        }
        return round.Clients.Length;
    }
}
