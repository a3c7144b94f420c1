using Cohort.Data;
using Cohort.Data.Partitioning;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.Diagnostics;
using Cohort.Federated.Engine;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Partitions;
using Cohort.Federated.Personal;
using Cohort.Federated.Stages;
using Cohort.NN.Zoo;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Client;

/// <summary>
/// Runs a task's client half on this client's data with the same code as simulation (the method's
/// local work, then the client stages, its state in the client's state folder), so a deployed client
/// computes the very update a simulated one would; a compressed update leaves as the frame it encoded.
/// </summary>
internal sealed class ClientTrainer : IDisposable
{
    private readonly TrainTest _data;
    private readonly int _client;
    private readonly FederatedData _federated;
    private readonly ClientStateFolder _states;
    private readonly string? _ownedFolder;
    private readonly MessageWriter _recorder = new();
    private Prepared? _prepared;
    private (float[] Parameters, float[] Buffers)? _evaluated;

    /// <summary>A trainer over the client's data; its state in <paramref name="states"/>, or, when null, in a temporary folder removed on dispose.</summary>
    public ClientTrainer(TrainTest data, int client, ClientStateFolder? states = null)
    {
        _data = data;
        _client = client;
        _federated = new FederatedData(data, new Partition([Enumerable.Range(0, data.Train.Count).ToArray()], [Enumerable.Range(0, data.Test.Count).ToArray()]));
        if (states is null)
        {
            _ownedFolder = Directory.CreateTempSubdirectory("cohort-client-state-").FullName;
            states = new ClientStateFolder(_ownedFolder, client);
        }
        _states = states;
    }

    public int TrainSamples => _data.Train.Count;

    public int TestSamples => _data.Test.Count;

    /// <summary>The vectors this task's broadcast goes into (the same ones from task to task of one model, so a round's model stays for its later exchanges).</summary>
    public ReceivedBroadcast Broadcast(WorkTask task) => Prepare(task).Broadcast;

    /// <summary>Trains exchange <c>task.Exchange</c> of the round from the broadcast; returns the upload.</summary>
    public ClientUpload Train(WorkTask task, ReceivedBroadcast broadcast)
    {
        if (task.Client != _client)
        {
            throw new InvalidOperationException($"task for client {task.Client} given to client {_client}.");
        }
        if (broadcast.ModelRound != task.Round)
        {
            throw new InvalidOperationException($"task for round {task.Round}, but the broadcast holds round {broadcast.ModelRound}'s model.");
        }
        var p = Prepare(task);
        _states.Begin(task.Round, task.Exchange);
        // The drift measurement is the local model whole: a client that keeps a personal part of it sends none.
        var round = new CohortRound(task.Round, [_client], broadcast.Parameters, broadcast.Buffers) { Exchange = task.Exchange, Downlink = broadcast.Downlink, MeasuresDrift = task.MeasuresDrift && p.Personal is null };
        var experiment = p.Experiment;
        var buffers = p.Personal?.BuffersFor(_states, _client, broadcast.Buffers, p.Worker.PersonalBuffers) ?? broadcast.Buffers;
        var objective = p.Worker.Objective.Bind(_federated.Train, _federated.Partition.Train[0], experiment.Seed, task.Round, _client, buffers, experiment.Client.Adversarial, experiment.Client.Private);
        ClientReport report;
        _recorder.Clear();
        WireRoundTrip.Recorder = _recorder;
        try
        {
            report = InProcessCohort.RunClient(p.Worker, objective, _client, 0, round, experiment.Client, experiment.Seed, p.Algorithm, p.Pipeline, _states, p.Personal);
        }
        finally
        {
            WireRoundTrip.Recorder = null;
        }
        return Upload(task, report, p.Algorithm, p.Worker.Buffers);
    }

    /// <summary>The model an EVALUATE task scores goes here (held apart from the round's broadcast).</summary>
    public (float[] Parameters, float[] Buffers) EvaluationModel(WorkTask task)
    {
        var model = Prepare(task).Worker.Model;
        _evaluated ??= (new float[model.Parameters.Length], new float[model.Buffers.Length]);
        return _evaluated.Value;
    }

    /// <summary>
    /// Scores the model of <see cref="EvaluationModel"/> on this client's test split, as the simulation scores
    /// the client's split; with a personal part kept, also the client's personal model (the model with its
    /// kept part from the state folder), as the simulation scores it.
    /// </summary>
    public EvaluationReport Evaluate(WorkTask task)
    {
        var p = Prepare(task);
        var worker = p.Worker;
        var (parameters, buffers) = EvaluationModel(task);
        parameters.CopyTo(worker.Model.Parameters, 0);
        buffers.CopyTo(worker.Model.Buffers, 0);
        // The worker's model is loaded afresh by the next training task's binding.
        var score = ClientScore.Of(worker, _data.Test);
        var report = new EvaluationReport { TaskId = task.TaskId, Round = task.Round, Correct = score.Correct, Count = score.Count, LossSum = score.LossSum };
        if (p.PersonalModel is { } personal)
        {
            var experiment = p.Experiment;
            // A new client personalizes from the final model as the round after it, as the simulation does.
            int round = task.NewClient ? task.Round + 1 : task.Round;
            if (task.NewClient && p.Personal is { } kept)
            {
                Personalize(p, kept, round, parameters, buffers);
            }
            personal.Form(worker, _states, _client, parameters, buffers,
                () => worker.Objective.Bind(_federated.Train, _federated.Partition.Train[0], experiment.Seed, round, _client,
                    p.Personal?.BuffersFor(_states, _client, buffers, worker.PersonalBuffers) ?? buffers, experiment.Client.Adversarial),
                experiment.Client.LearningRate);
            report.PersonalCorrect = ClientScore.Of(worker, _data.Test).Correct;
        }
        return report;
    }

    /// <summary>
    /// The gradient diagnostics' pass at the model of <see cref="EvaluationModel"/> (an EVALUATE task that measures the gradient):
    /// this client's objective bound as the simulation binds a sampled client at the round, and the same <see cref="GradientSpread.Pass"/>.
    /// </summary>
    public ClientGradient Gradient(WorkTask task)
    {
        var p = Prepare(task);
        var (parameters, buffers) = EvaluationModel(task);
        var experiment = p.Experiment;
        var objective = p.Worker.Objective.Bind(_federated.Train, _federated.Partition.Train[0], experiment.Seed, task.Round, _client, buffers, experiment.Client.Adversarial, experiment.Client.Private);
        return GradientSpread.Pass(objective, parameters);
    }

    /// <summary>
    /// A client held out of training runs the method's client half once from the final model, keeping its part
    /// (<see cref="NewClients.PersonalizeOne"/>, the simulation's code); what it keeps stays staged as round <paramref name="round"/>'s.
    /// </summary>
    private void Personalize(Prepared p, PersonalParameters kept, int round, float[] parameters, float[] buffers)
    {
        var experiment = p.Experiment;
        if (p.Algorithm.Downlink(p.Algorithm.TrainingExchange).Count > 0)
        {
            throw new InvalidOperationException($"algorithm.name {p.Algorithm.Name}: a new client's personalization needs vectors the server broadcasts besides the model, which an EVALUATE task does not carry.");
        }
        _states.Begin(round, p.Algorithm.TrainingExchange);
        var objective = p.Worker.Objective.Bind(_federated.Train, _federated.Partition.Train[0], experiment.Seed, round, _client, buffers, experiment.Client.Adversarial, experiment.Client.Private);
        NewClients.PersonalizeOne(p.Worker, objective, _client, round, parameters, buffers, NoVectors, experiment, p.Algorithm, _states, kept);
    }

    private static readonly Dictionary<string, float[]> NoVectors = [];

    /// <summary>The server refused the task's upload: what its training wrote to the client's state is dropped.</summary>
    public void Refused(WorkTask task) => _states.Drop(task.Round, task.Exchange);

    /// <summary>The header and values of an upload; a compressed update (the stages or the method encoded one) goes as its recorded frame.</summary>
    private ClientUpload Upload(WorkTask task, ClientReport report, IFederatedAlgorithm algorithm, ClientBuffers buffers)
    {
        bool compressed = _recorder.Length > 0;
        var uplink = algorithm.Uplink;
        int length = algorithm.UpdateLength(task.Exchange, buffers.Length);
        var header = new UpdateHeader
        {
            TaskId = task.TaskId,
            Round = task.Round,
            Exchange = task.Exchange,
            Length = compressed ? 0 : length,
            MessageBytes = compressed ? _recorder.Length : 0,
            Samples = report.Result.Samples,
            LossSum = report.Result.LossSum,
            Batches = report.Result.Batches,
            UplinkBytes = report.UplinkBytes,
        };
        var vectors = new List<ReadOnlyMemory<float>>();
        foreach (string name in uplink.Vectors)
        {
            header.Vectors.Add(new VectorSpec { Name = name, Length = buffers.Length });
            vectors.Add(buffers.Vector(name));
        }
        foreach (string name in uplink.Scalars)
        {
            header.Scalars[name] = buffers.Scalars.TryGetValue(name, out double value) ? value : throw new InvalidOperationException($"algorithm: the client half did not set its uplink scalar '{name}'.");
        }
        if (report.Drift is { } drift)
        {
            // The round's drift diagnostics: the local model and the update's norm, which only the client has.
            header.Vectors.Add(new VectorSpec { Name = ClientDrift.LocalName, Length = drift.Local.Length });
            vectors.Add(drift.Local);
            header.Scalars[ClientDrift.UpdateNormName] = drift.UpdateNorm;
        }
        var message = compressed ? _recorder.Written.ToArray() : ReadOnlyMemory<byte>.Empty;
        return new ClientUpload(header, message, compressed ? ReadOnlyMemory<float>.Empty : buffers.Update.AsMemory(0, length), vectors);
    }

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
        if (model.SampleShape.Size != _data.Train.SampleSize)
        {
            throw new ConfigException($"--data: samples of {_data.Train.SampleSize} values do not fit model '{spec.Name}', which takes {model.SampleShape.Size}.");
        }
        var (algorithm, _, pipeline, downlink) = ExperimentWiring.Build(config, model, _states);
        var worker = new Worker(0, model, experiment.Client.BatchSize, ClientSetup.Optimizer(experiment.Client));
        // The client starts out holding the initial model, which a compressed downlink's first difference applies to.
        var broadcast = new ReceivedBroadcast(model.ParameterCount, model.Buffers.Length)
        {
            DownlinkCompressor = downlink?.Compressor,
            ModelRound = 0,
        };
        model.Parameters.CopyTo(broadcast.Parameters, 0);
        // A method's personal part stays in this client's state folder; its update carries none of it.
        var personalModel = PersonalModel.For(algorithm, model, experiment.Config);
        _prepared = new Prepared(key, experiment, worker, algorithm, pipeline, broadcast, personalModel?.Kept, personalModel);
        return _prepared;
    }

    public void Dispose()
    {
        if (_ownedFolder is not null && Directory.Exists(_ownedFolder))
        {
            Directory.Delete(_ownedFolder, recursive: true);
        }
    }

    private sealed record Prepared(string Key, Experiment Experiment, Worker Worker, IFederatedAlgorithm Algorithm, UpdatePipeline Pipeline, ReceivedBroadcast Broadcast, PersonalParameters? Personal, PersonalModel? PersonalModel);
}
