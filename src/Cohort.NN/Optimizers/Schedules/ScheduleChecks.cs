namespace Cohort.NN.Optimizers.Schedules;

/// <summary>Argument checks shared by the schedules.</summary>
internal static class ScheduleChecks
{
    public static void Step(string schedule, int step)
    {
        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), $"{schedule}: step must be >= 0, got {step}.");
        }
    }

    public static void AtLeastOne(string schedule, string name, int value)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, $"{schedule}: {name} must be >= 1, got {value}.");
        }
    }

    public static void NonNegative(string schedule, string name, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, $"{schedule}: {name} must be a finite number >= 0, got {value}.");
        }
    }
}
