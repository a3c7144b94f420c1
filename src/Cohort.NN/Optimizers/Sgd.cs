using System.Numerics.Tensors;

namespace Cohort.NN.Optimizers;

/// <summary>Plain stochastic gradient descent: θ ← θ − η·g.</summary>
public sealed class Sgd(float learningRate) : IOptimizer
{
    public float LearningRate { get; set; } = learningRate;

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        OptimizerChecks.SameLength(nameof(Sgd), parameters, gradients);
        TensorPrimitives.MultiplyAdd(gradients, -LearningRate, parameters, parameters);
    }

    public void Reset()
    {
    }
}
