namespace Cohort.NN.Optimizers.Schedules;

/// <summary>A learning rate as a function of the step, counted from 0 as torch's scheduler epochs.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The rate for the step that follows <paramref name="step"/> completed steps.</summary>
    float LearningRate(int step);
}
