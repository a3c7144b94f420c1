namespace Cohort.Federated.Leakage;

/// <summary>
/// The objective an optimisation attack minimises: the distance between the gradient a dummy batch
/// (x, labels) gives and the observed one, with its gradient with respect to x (and to the labels) by
/// the chain rule through the probe's mixed second derivative.
/// </summary>
internal sealed class GradientMatching(GradientProbe probe, float[] observed, GradientDistance distance)
{
    private readonly float[] _gradient = new float[probe.ParameterCount];
    private readonly float[] _direction = new float[probe.ParameterCount];

    public GradientProbe Probe => probe;

    /// <summary>The distance at (x, targets); its gradient with respect to x into <paramref name="inputGradient"/> and to the targets into <paramref name="targetGradient"/> (empty: labels fixed).</summary>
    public double Evaluate(ReadOnlySpan<float> x, ReadOnlySpan<float> targets, Span<float> inputGradient, Span<float> targetGradient)
    {
        probe.Loss(x, targets, _gradient, [], []);
        double value = distance.Evaluate(_gradient, observed, _direction);
        probe.MixedProduct(x, targets, _direction, inputGradient, targetGradient);
        return value;
    }
}
