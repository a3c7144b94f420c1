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
        int exchange = algorithm.TrainingExchange;
        var received = algorithm.Downlink(exchange).ToDictionary(name => name, server.Vector, StringComparer.Ordinal);
        executor.ForEach(clients.Count, (worker, i) =>
        {
            int client = clients[i];
            var task = new CohortRound(round, [client], server.Global, server.Buffers) { Exchange = exchange, Downlink = received };
            InProcessCohort.RunClient(worker, bind(worker, client, round), client, 0, task, experiment.Client, experiment.Seed, algorithm, UpdatePipeline.Empty, states, kept);
        });
    }
}
