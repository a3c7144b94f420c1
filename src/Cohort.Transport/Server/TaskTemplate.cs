using Cohort.Federated.Config;
using Cohort.NN.Zoo;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>What every task of a run shares: the model and the experiment keys a client needs (everything but the server's own paths).</summary>
internal sealed class TaskTemplate
{
    /// <summary>Keys that name places on the server; a client has its own data.</summary>
    private static readonly HashSet<string> ServerOnly = new(StringComparer.Ordinal) { "dataset.root", "dataset.test" };

    /// <summary>Keys with a default that are an error where they do not apply: sent only when set.</summary>
    private static readonly HashSet<string> SentWhenSet = new(StringComparer.Ordinal) { "client.tau.unit" };

    public TaskTemplate(ExperimentConfig config, ModelOptions options, int parameters, int buffers)
    {
        Model = ModelSpecs.From(config.Get("model"), options, parameters, buffers);
        foreach (var key in ExperimentKeys.All.Keys)
        {
            if (!ServerOnly.Contains(key) && (config.Has(key) || !SentWhenSet.Contains(key)) && config.GetOptional(key) is { } value)
            {
                Settings[key] = value;
            }
        }
        Seed = (ulong)config.GetInt("seed");
    }

    public ModelSpec Model { get; }

    public ulong Seed { get; }

    /// <summary>Resolved experiment keys for the client (dataset.*, model, algorithm.*, client.*, compression.*, seed, …).</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> DataSettings =>
        Settings.Where(kv => kv.Key.StartsWith("dataset.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}
