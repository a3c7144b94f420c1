using Cohort.Federated.Config;

namespace Cohort.Federated.Personal;

/// <summary>
/// Personalization at evaluation: each client takes <see cref="Steps"/> local steps (or <see cref="Epochs"/>
/// passes) on its own training data from its model before that model is scored on its test split, moving
/// all parameters or only those <see cref="Parameters"/> names. Nothing of it is kept or sent.
/// </summary>
public sealed class FineTuning(long? steps, int? epochs, float? learningRate, IReadOnlyList<string> parameters)
{
    /// <summary>Local steps; null: <see cref="Epochs"/> passes over the client's samples.</summary>
    public long? Steps { get; } = steps;

    /// <summary>Passes over the client's samples when <see cref="Steps"/> is null.</summary>
    public int? Epochs { get; } = epochs;

    /// <summary>The fine-tuning's learning rate; null: the client's (client.lr).</summary>
    public float? LearningRate { get; } = learningRate;

    /// <summary>Parameter-name patterns of the parameters fine-tuned (as <c>algorithm.personal</c>); empty: all.</summary>
    public IReadOnlyList<string> Parameters { get; } = parameters;

    /// <summary>The setting that named <see cref="Parameters"/>, for errors.</summary>
    internal string ParametersKey { get; init; } = "eval.finetune.personal";

    /// <summary>Steps for a client of <paramref name="samples"/> samples in mini-batches of <paramref name="batchSize"/>.</summary>
    public long StepsFor(int samples, int batchSize) => Steps ?? (long)(Epochs ?? 0) * ((samples + batchSize - 1) / batchSize);

    /// <summary>
    /// The fine-tuning <paramref name="prefix"/>steps, epochs, lr and personal set (e.g. eval.finetune.), with
    /// <paramref name="defaultEpochs"/> when neither steps nor epochs is set; null when it takes no step, unless
    /// <paramref name="keepNone"/> (the finetune method, whose 0 steps score the global model as each personal one).
    /// </summary>
    internal static FineTuning? From(ExperimentConfig config, string prefix, int? defaultEpochs = null, bool keepNone = false)
    {
        int? steps = config.GetOptionalInt(prefix + "steps"), epochs = config.GetOptionalInt(prefix + "epochs");
        if (steps is not null && epochs is not null)
        {
            throw new ConfigException($"{prefix}steps and {prefix}epochs are both set: give one.");
        }
        epochs ??= steps is null ? defaultEpochs : null;
        if ((steps ?? epochs ?? 0) == 0 && !keepNone)
        {
            return null;
        }
        var lr = config.GetOptionalDouble(prefix + "lr");
        return new FineTuning(steps, epochs, lr is { } r ? (float)r : null, PersonalParameters.Patterns(config.GetOptional(prefix + "personal") ?? ""))
        {
            ParametersKey = prefix + "personal",
        };
    }
}
