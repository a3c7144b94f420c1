namespace Cohort.NN.Optimizers.Schedules;

/// <summary>
/// Scales another schedule by (t + 1)/w for the first w steps, so the first step is not wasted
/// at rate 0, then follows it unchanged (not shifted). As torch's LinearLR from 1/w over w − 1 steps.
/// </summary>
public sealed class LinearWarmupSchedule : ILearningRateSchedule
{
    public LinearWarmupSchedule(ILearningRateSchedule inner, int warmupSteps)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ScheduleChecks.AtLeastOne(nameof(LinearWarmupSchedule), "warmup_steps", warmupSteps);
        Inner = inner;
        WarmupSteps = warmupSteps;
    }

    public ILearningRateSchedule Inner { get; }

    public int WarmupSteps { get; }

    public float LearningRate(int step)
    {
        ScheduleChecks.Step(nameof(LinearWarmupSchedule), step);
        float rate = Inner.LearningRate(step);
        return step < WarmupSteps ? (float)((double)rate * (step + 1) / WarmupSteps) : rate;
    }
}
