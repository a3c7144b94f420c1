namespace Cohort.NN.Optimizers;

/// <summary>Argument checks shared by the optimizers; messages use torch's parameter names, which the factory keys share.</summary>
internal static class OptimizerChecks
{
    public static void SameLength(string optimizer, ReadOnlySpan<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != gradients.Length)
        {
            throw new ArgumentException($"{optimizer}: {parameters.Length} parameters but {gradients.Length} gradients.");
        }
    }

    public static void NonNegative(string optimizer, string name, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, $"{optimizer}: {name} must be a finite number >= 0, got {value}.");
        }
    }

    public static void Positive(string optimizer, string name, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, $"{optimizer}: {name} must be a finite number > 0, got {value}.");
        }
    }

    /// <summary>Decay rates such as β1, β2 and momentum: 0 ≤ value &lt; 1.</summary>
    public static void UnitInterval(string optimizer, string name, double value)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, $"{optimizer}: {name} must be in [0, 1), got {value}.");
        }
    }
}
