namespace Cohort.NN.Optimizers;

internal static class OptimizerChecks
{
    public static void SameLength(string optimizer, ReadOnlySpan<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != gradients.Length)
        {
            throw new ArgumentException($"{optimizer}: {parameters.Length} parameters but {gradients.Length} gradients.");
        }
    }
}
