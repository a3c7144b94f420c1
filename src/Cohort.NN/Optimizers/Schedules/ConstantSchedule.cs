namespace Cohort.NN.Optimizers.Schedules;

/// <summary>The same rate at every step.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    public ConstantSchedule(float learningRate)
    {
        ScheduleChecks.NonNegative(nameof(ConstantSchedule), "lr", learningRate);
        BaseLearningRate = learningRate;
    }

    public float BaseLearningRate { get; }

    public float LearningRate(int step)
    {
        ScheduleChecks.Step(nameof(ConstantSchedule), step);
        return BaseLearningRate;
    }
}
