using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Data;
using Cohort.Federated.Stages;
using Cohort.Federated.State;

namespace Cohort.Federated.Engine;

/// <summary>The simulation's cohort executor: every client's half runs on a pool of in-process workers over the shared data.</summary>
public sealed class InProcessCohort(InProcessExecutor executor, FederatedData data, Experiment experiment,
    IFederatedAlgorithm algorithm, UpdatePipeline pipeline, IClientStateStore states) : ICohortExecutor
{
    /// <summary>The data a client trains on when it is not the shared data (a label-flipping Byzantine client's view).</summary>
    public Func<int, FederatedData>? DataFor { get; init; }

    public int Samples(int client) => data.ClientTrainCount(client);

    public int Run(CohortRound round, UpdateSink accept, CancellationToken cancel)
    {
        executor.ForEach(round.Clients.Length, (worker, i) =>
        {
            int client = round.Clients[i];
            var report = RunClient(worker, DataFor?.Invoke(client) ?? data, data.Partition.Train[client], client, round, experiment, algorithm, pipeline, states);
            accept(i, client, worker.Update, report);
        });
        return round.Clients.Length;
    }

    /// <summary>One client's half of a round on a worker: the method's local work, then the client stages; the update is left in <c>worker.Update</c>.</summary>
    public static ClientReport RunClient(Worker worker, FederatedData data, int[] trainIndices, int client, CohortRound round,
        Experiment experiment, IFederatedAlgorithm algorithm, UpdatePipeline pipeline, IClientStateStore states)
    {
        var context = new ClientContext(worker, data, client, trainIndices, round.Round, experiment.Seed, experiment.Client, round.Global, round.Buffers, states);
        var result = algorithm.RunClient(context);
        long uplink = pipeline.OnClient(new StageContext(round.Round, client, experiment.Seed), worker.Update);
        return new ClientReport(result, uplink) { Buffers = worker.Model.Buffers };
    }
}
