namespace Cohort.NN.Optimizers.Schedules;

/// <summary>
/// Inverse square root decay after a constant start: η·min(1, √(w / t)) for t ≥ 1 and η at
/// t = 0, that is η for steps 0…w and η·√(w / t) after.
/// </summary>
public sealed class InverseSqrtSchedule : ILearningRateSchedule
{
    /// <param name="learningRate">η.</param>
    /// <param name="warmupSteps">w, the steps kept at η.</param>
    public InverseSqrtSchedule(float learningRate, int warmupSteps)
    {
        ScheduleChecks.NonNegative(nameof(InverseSqrtSchedule), "lr", learningRate);
        ScheduleChecks.AtLeastOne(nameof(InverseSqrtSchedule), "warmup_steps", warmupSteps);
        BaseLearningRate = learningRate;
        WarmupSteps = warmupSteps;
    }

    public float BaseLearningRate { get; }

    public int WarmupSteps { get; }

    public float LearningRate(int step)
    {
        ScheduleChecks.Step(nameof(InverseSqrtSchedule), step);
        return step <= WarmupSteps ? BaseLearningRate : (float)(BaseLearningRate * Math.Sqrt((double)WarmupSteps / step));
    }
}
