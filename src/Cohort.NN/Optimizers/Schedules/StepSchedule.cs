namespace Cohort.NN.Optimizers.Schedules;

/// <summary>torch's StepLR: η·γ^⌊t / s⌋, the rate multiplied by γ every s steps.</summary>
public sealed class StepSchedule : ILearningRateSchedule
{
    /// <param name="learningRate">η.</param>
    /// <param name="stepSize">s, steps between decays.</param>
    /// <param name="gamma">γ (torch default 0.1).</param>
    public StepSchedule(float learningRate, int stepSize, double gamma = 0.1)
    {
        ScheduleChecks.NonNegative(nameof(StepSchedule), "lr", learningRate);
        ScheduleChecks.AtLeastOne(nameof(StepSchedule), "step_size", stepSize);
        ScheduleChecks.NonNegative(nameof(StepSchedule), "gamma", gamma);
        BaseLearningRate = learningRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    public float BaseLearningRate { get; }

    public int StepSize { get; }

    public double Gamma { get; }

    public float LearningRate(int step)
    {
        ScheduleChecks.Step(nameof(StepSchedule), step);
        return (float)(BaseLearningRate * Math.Pow(Gamma, step / StepSize));
    }
}
