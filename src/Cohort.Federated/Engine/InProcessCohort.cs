using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Diagnostics;
using Cohort.Federated.Personal;
using Cohort.Federated.Stages;
using Cohort.Federated.State;

namespace Cohort.Federated.Engine;

/// <summary>The simulation's cohort executor: every client's half runs on a pool of in-process workers, each client's objective bound by <paramref name="bind"/>.</summary>
internal sealed class InProcessCohort(IWorkerPool executor, ObjectiveBinder bind, Func<int, int> samples, LocalWork work, ulong seed,
    IFederatedAlgorithm algorithm, UpdatePipeline pipeline, IClientStateStore states) : ICohortExecutor
{
    /// <summary>The model part each client keeps for itself (null: none).</summary>
    public PersonalParameters? Personal { get; init; }

    public int Samples(int client) => samples(client);

    public bool HoldsClientData => true;

    public int Run(CohortRound round, UpdateSink accept, CancellationToken cancel)
    {
        executor.ForEach(round.Clients.Length, (worker, i) =>
        {
            int client = round.Clients[i];
            var objective = bind(worker, client, round.Round);
            var collaborators = algorithm.NeedsCollaboratorGradients ? new InProcessCollaborators(worker, bind, round.Clients, round.Round) : null;
            var report = RunClient(worker, objective, client, i, round, work, seed, algorithm, pipeline, states, Personal, collaborators);
            accept(i, client, worker.Buffers.Update.AsSpan(0, algorithm.UpdateLength(round.Exchange, worker.Buffers.Length)), report);
        });
        return round.Clients.Length;
    }

    /// <summary>
    /// One client's half of an exchange on a worker: the method's local work on the bound objective, then
    /// the client stages. With a personal part, the work starts from the client's personal model (its kept
    /// running statistics come with the objective's binding, <see cref="PersonalParameters.BuffersFor"/>), the part
    /// is stored after the training exchange and withheld from the update and the reported buffers. The update is left in <c>worker.Buffers.Update</c> (its first <see cref="IFederatedAlgorithm.UpdateLength"/> values), the method's other uplink values beside it.
    /// </summary>
    public static ClientReport RunClient(Worker worker, ILocalObjective objective, int client, int slot, CohortRound round,
        LocalWork work, ulong seed, IFederatedAlgorithm algorithm, UpdatePipeline pipeline, IClientStateStore states, PersonalParameters? personal = null,
        ICollaboratorGradients? collaborators = null)
    {
        var buffers = worker.Buffers;
        buffers.Scalars.Clear();
        long steps = work.StepsFor(objective.Samples, seed, round.Round, client);
        var start = round.Global;
        if (personal is not null)
        {
            var composed = buffers.Vector(PersonalParameters.StateName);
            personal.Compose(states, client, round.Global.Span, composed);
            start = composed;
        }
        var context = new ClientContext(objective, worker.Optimizer, buffers, client, round.Round, round.Exchange, seed, work, steps, start, round.Downlink, states) { Personal = personal, Collaborators = collaborators };
        var result = algorithm.RunClient(context);
        var update = buffers.Update.AsSpan(0, algorithm.UpdateLength(round.Exchange, buffers.Length));
        if (personal is not null)
        {
            if (round.Exchange == algorithm.TrainingExchange)
            {
                personal.Keep(states, client, objective.Parameters, worker.Model.Buffers);
            }
            personal.Withhold(update);
        }
        // Drift needs the local model and the update before the client stages: the client measures them and reports them with its update.
        var drift = round.MeasuresDrift ? ClientDrift.Measure(objective.Parameters, buffers) : (ClientDrift?)null;
        long uplink = pipeline.OnClient(new StageContext(round.Round, client, seed, round.Exchange), update);
        // A method that encodes its own message (DIANA, MARINA) reports that message's bytes.
        uplink = result.MessageBytes ?? uplink;
        var reported = personal is null ? worker.Model.Buffers : personal.ReportedBuffers(worker.Model.Buffers, round.Buffers.Span, worker.ReportedBuffers);
        return new ClientReport(result, uplink) { Buffers = reported, Uplink = buffers, Version = round.Round, Drift = drift };
    }
}
