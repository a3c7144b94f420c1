using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.State;
using Cohort.NN.Modules;

namespace Cohort.Federated.Personal;

/// <summary>
/// How a client's personal model is formed for scoring, the same simulated and deployed: the global model
/// with the client's kept part (a method that keeps one) or the method's own personal model (Ditto's v,
/// APFL's mixture), then fine-tuned on the client's training data
/// (the method's own fine-tuning, or eval.finetune.* for any method).
/// </summary>
internal sealed class PersonalModel
{
    private readonly FineTuning? _tuning;
    private readonly IPersonalModel? _composer;
    private readonly IReadOnlyList<(int Offset, int Length)> _frozen;

    private PersonalModel(PersonalParameters? kept, IPersonalModel? own, FineTuning? tuning, IReadOnlyList<(int Offset, int Length)> frozen)
    {
        Kept = kept;
        _composer = (IPersonalModel?)kept ?? own;
        _tuning = tuning;
        _frozen = frozen;
    }

    /// <summary>The model part the method keeps per client (null: none).</summary>
    public PersonalParameters? Kept { get; }

    /// <summary>The personal model of <paramref name="algorithm"/> on <paramref name="model"/> under <paramref name="config"/>; null when there is none (no kept part, no fine-tuning).</summary>
    public static PersonalModel? For(IFederatedAlgorithm algorithm, Model model, ExperimentConfig config)
    {
        var kept = PersonalParameters.For(algorithm, model);
        var atEvaluation = FineTuning.From(config, "eval.finetune.");
        if (algorithm.FineTuning is not null && atEvaluation is not null)
        {
            throw new ConfigException($"eval.finetune.*: algorithm.name {algorithm.Name} fine-tunes at evaluation itself (its algorithm.* keys); set one of the two.");
        }
        var tuning = algorithm.FineTuning ?? atEvaluation;
        var own = algorithm.PersonalModel;
        if (kept is null && own is null && tuning is null)
        {
            return null;
        }
        var frozen = tuning is { Parameters.Count: > 0 }
            ? PersonalParameters.Of(tuning.Parameters, model, tuning.ParametersKey).Complement(model.ParameterCount)
            : [];
        return new PersonalModel(kept, own, tuning, frozen);
    }

    /// <summary>
    /// Loads the client's personal model into the worker's model: <paramref name="global"/> and <paramref name="buffers"/>
    /// with the client's kept part, then the fine-tuning's steps on the objective <paramref name="bind"/> gives
    /// (the client's training data, bound with the client's buffers).
    /// </summary>
    public void Form(Worker worker, IClientStateStore states, int client, ReadOnlySpan<float> global, ReadOnlySpan<float> buffers,
        Func<ILocalObjective> bind, float clientLearningRate)
    {
        var parameters = worker.Model.Parameters;
        if (_composer is not null)
        {
            _composer.Compose(states, client, global, parameters);
        }
        else
        {
            global.CopyTo(parameters);
        }
        if (Kept is not null)
        {
            Kept.ComposeBuffers(states, client, buffers, worker.Model.Buffers);
        }
        else
        {
            buffers.CopyTo(worker.Model.Buffers);
        }
        if (_tuning is null)
        {
            return;
        }
        var objective = bind();
        objective.Load(parameters);
        long steps = _tuning.StepsFor(objective.Samples, objective.BatchSize);
        PartialTraining.Run(objective, worker.Optimizer, _tuning.LearningRate ?? clientLearningRate, steps, _frozen, worker.Buffers.Vector("personal.frozen"));
        objective.Parameters.CopyTo(parameters);
    }
}
