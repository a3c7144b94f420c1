using Cohort.Data;
using Cohort.Data.Partitioning;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Data;
using Cohort.Federated.Engine;
using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.NN.Zoo;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Client;

/// <summary>
/// Runs a task's client half on this client's data with the same code as simulation (the method's
/// local work, then the client stages), so a deployed client computes the very update a simulated one would.
/// </summary>
public sealed class ClientTrainer(TrainTest data, int client) : IDisposable
{
    private readonly FederatedData _data = new(data, new Partition([Enumerable.Range(0, data.Train.Count).ToArray()], [Enumerable.Range(0, data.Test.Count).ToArray()]));
    private readonly SpillingStateStore _states = new(1L << 28);
    private Prepared? _prepared;

    public int TrainSamples => data.Train.Count;

    public int TestSamples => data.Test.Count;

    /// <summary>A model-sized vector pair for the broadcast of this task's model.</summary>
    public (float[] Parameters, float[] Buffers) BroadcastBuffers(WorkTask task)
    {
        var prepared = Prepare(task);
        return (new float[prepared.Worker.Model.ParameterCount], new float[prepared.Worker.Model.Buffers.Length]);
    }

    /// <summary>Trains from the broadcast; the update is left in <see cref="Update"/>.</summary>
    public ClientReport Train(WorkTask task, float[] global, float[] buffers)
    {
        if (task.Client != client)
        {
            throw new InvalidOperationException($"task for client {task.Client} given to client {client}.");
        }
        var p = Prepare(task);
        var round = new CohortRound(task.Round, [client], global, buffers);
        var experiment = p.Experiment;
        var objective = p.Worker.Objective.Bind(_data.Train, _data.Partition.Train[0], experiment.Seed, task.Round, client, buffers, experiment.Client.Adversarial);
        return InProcessCohort.RunClient(p.Worker, objective, client, 0, round, experiment.Client, experiment.Seed, p.Algorithm, p.Pipeline, _states);
    }

    public ReadOnlyMemory<float> Update => _prepared?.Worker.Buffers.Update ?? throw new InvalidOperationException("no task has been trained yet.");

    private Prepared Prepare(WorkTask task)
    {
        string key = string.Join("\n", task.Settings.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value)) + "\n" + task.Model;
        if (_prepared?.Key == key)
        {
            return _prepared;
        }
        var config = new ExperimentConfig();
        foreach (var (k, v) in task.Settings)
        {
            config.Set(k, v);
        }
        var experiment = Experiment.From(config);
        var spec = task.Model;
        var model = ModelZoo.Create(spec.Name, task.Seed, ModelSpecs.Options(spec));
        if (model.ParameterCount != spec.Parameters || model.Buffers.Length != spec.Buffers)
        {
            throw new ProtocolException(502, $"task: model '{spec.Name}' has {model.ParameterCount} parameters and {model.Buffers.Length} buffers here but {spec.Parameters} and {spec.Buffers} on the server.");
        }
        if (model.SampleShape.Size != data.Train.SampleSize)
        {
            throw new ConfigException($"--data: samples of {data.Train.SampleSize} values do not fit model '{spec.Name}', which takes {model.SampleShape.Size}.");
        }
        var worker = new Worker(0, model, experiment.Client.BatchSize, Simulation.ClientOptimizer(experiment.Client));
        _prepared = new Prepared(key, experiment, worker, AlgorithmFactory.Create(config), UpdatePipeline.Empty);
        return _prepared;
    }

    public void Dispose() => _states.Dispose();

    private sealed record Prepared(string Key, Experiment Experiment, Worker Worker, IFederatedAlgorithm Algorithm, UpdatePipeline Pipeline);
}
