namespace Cohort.NN.Optimizers.Schedules;

/// <summary>
/// Creates a schedule from its name, the base rate and text parameters: <c>constant</c>;
/// <c>step</c> (step_size, gamma); <c>cosine</c> (t_max, eta_min); <c>inverse_sqrt</c>
/// (warmup_steps). Any of them takes <c>linear_warmup</c> (steps) to wrap it in a linear warm-up.
/// Unknown names, unknown keys and bad values throw, naming them.
/// </summary>
public static class ScheduleFactory
{
    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["constant", "step", "cosine", "inverse_sqrt"];

    public static ILearningRateSchedule Create(string name, float learningRate, IReadOnlyDictionary<string, string>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var p = new ConfigParameters($"schedule '{name}'", parameters);
        ILearningRateSchedule schedule = name.ToLowerInvariant() switch
        {
            "constant" => new ConstantSchedule(learningRate),
            "step" => new StepSchedule(learningRate, p.RequiredInt("step_size"), p.Double("gamma", 0.1)),
            "cosine" => new CosineAnnealingSchedule(learningRate, p.RequiredInt("t_max"), p.Double("eta_min", 0)),
            "inverse_sqrt" => new InverseSqrtSchedule(learningRate, p.RequiredInt("warmup_steps")),
            _ => throw new ArgumentException($"Unknown schedule '{name}'; known schedules: {string.Join(", ", Names)}.", nameof(name)),
        };
        int warmup = p.Int("linear_warmup", 0);
        p.RejectUnknown();
        if (warmup < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), $"schedule '{name}': linear_warmup must be >= 0, got {warmup}.");
        }
        return warmup > 0 ? new LinearWarmupSchedule(schedule, warmup) : schedule;
    }
}
