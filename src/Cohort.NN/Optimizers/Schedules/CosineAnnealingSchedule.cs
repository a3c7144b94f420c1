namespace Cohort.NN.Optimizers.Schedules;

/// <summary>
/// torch's CosineAnnealingLR in closed form: η_min + (η − η_min)(1 + cos(πt/T))/2. It reaches
/// η_min at t = T and, as torch's, rises again after (period 2T); set T to the run's length.
/// </summary>
public sealed class CosineAnnealingSchedule : ILearningRateSchedule
{
    /// <param name="learningRate">η, the rate at step 0.</param>
    /// <param name="tMax">T, steps to reach the minimum.</param>
    /// <param name="etaMin">η_min (torch default 0).</param>
    public CosineAnnealingSchedule(float learningRate, int tMax, double etaMin = 0)
    {
        ScheduleChecks.NonNegative(nameof(CosineAnnealingSchedule), "lr", learningRate);
        ScheduleChecks.AtLeastOne(nameof(CosineAnnealingSchedule), "t_max", tMax);
        ScheduleChecks.NonNegative(nameof(CosineAnnealingSchedule), "eta_min", etaMin);
        BaseLearningRate = learningRate;
        TMax = tMax;
        EtaMin = etaMin;
    }

    public float BaseLearningRate { get; }

    public int TMax { get; }

    public double EtaMin { get; }

    public float LearningRate(int step)
    {
        ScheduleChecks.Step(nameof(CosineAnnealingSchedule), step);
        return (float)(EtaMin + (BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * step / TMax)) / 2);
    }
}
