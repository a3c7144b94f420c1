using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Stages;
using Cohort.Federated.State;

namespace Cohort.Federated.Personal;

/// <summary>
/// Clients held out of training (<c>partition.holdout_clients</c>, the last client ids): never sampled for a
/// round. After the last round each personalizes from the final model with the method's own procedure (a
/// method that keeps a part runs its client half once, from the final model, and keeps its part; the
/// personal model's fine-tuning follows) and is scored apart, as new_client_accuracy_*.
/// </summary>
internal static class NewClients
{
    public const string Key = "partition.holdout_clients";

    /// <summary>The clients held out of <paramref name="clients"/>; at least one must train.</summary>
    public static int Count(ExperimentConfig config, int clients)
    {
        int held = config.GetInt(Key);
        if (held > 0 && held >= clients)
        {
            throw new ConfigException($"{Key} {held}: at least one of the {clients} clients (partition.clients) must train.");
        }
        return held;
    }

    /// <summary>
    /// Runs the method's client half once for each of <paramref name="clients"/> from the server's model, as
    /// round <paramref name="round"/> (after the last trained one), so that each keeps its part; the updates go nowhere.
    /// </summary>
    public static void Personalize(IWorkerPool executor, ObjectiveBinder bind, IReadOnlyList<int> clients, int round, ServerState server,
        Experiment experiment, IFederatedAlgorithm algorithm, IClientStateStore states, PersonalParameters kept)
    {
        var received = algorithm.Downlink(algorithm.TrainingExchange).ToDictionary(name => name, server.Vector, StringComparer.Ordinal);
        executor.ForEach(clients.Count, (worker, i) =>
        {
            int client = clients[i];
            PersonalizeOne(worker, bind(worker, client, round), client, round, server.Global, server.Buffers, received, experiment, algorithm, states, kept);
        });
    }

    /// <summary>
    /// One held-out client's run of the method's client half from <paramref name="global"/> as round <paramref name="round"/>,
    /// keeping its part in <paramref name="states"/>: the simulation's and a deployed client's step, the same code.
    /// </summary>
    public static void PersonalizeOne(Worker worker, ILocalObjective objective, int client, int round, ReadOnlyMemory<float> global, ReadOnlyMemory<float> buffers,
        IReadOnlyDictionary<string, float[]> received, Experiment experiment, IFederatedAlgorithm algorithm, IClientStateStore states, PersonalParameters kept)
    {
        var task = new CohortRound(round, [client], global, buffers) { Exchange = algorithm.TrainingExchange, Downlink = received };
        InProcessCohort.RunClient(worker, objective, client, 0, task, experiment.Client, experiment.Seed, algorithm, UpdatePipeline.Empty, states, kept);
    }
}
