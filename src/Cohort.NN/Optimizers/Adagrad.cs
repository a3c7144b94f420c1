using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cohort.NN.Optimizers;

/// <summary>
/// Adagrad as torch.optim.Adagrad (PyTorch 1.13): g ← g + λθ; s ← s + g²;
/// θ ← θ − η/(1 + (t − 1)·decay) · g / (√s + ε). State: [sum], starting at the initial accumulator value.
/// </summary>
public sealed class Adagrad : FlatOptimizer
{
    /// <param name="learningRate">η (torch default 1e-2).</param>
    /// <param name="lrDecay">Decay of the rate with the step count (torch default 0).</param>
    /// <param name="weightDecay">λ, L2 penalty added to the gradient (torch default 0).</param>
    /// <param name="initialAccumulatorValue">Starting value of the sum of squares (torch default 0).</param>
    /// <param name="eps">ε added after the square root (torch default 1e-10).</param>
    public Adagrad(float learningRate = 1e-2f, double lrDecay = 0, double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10)
        : base(nameof(Adagrad), learningRate)
    {
        OptimizerChecks.NonNegative(Name, "lr_decay", lrDecay);
        OptimizerChecks.NonNegative(Name, "weight_decay", weightDecay);
        OptimizerChecks.NonNegative(Name, "initial_accumulator_value", initialAccumulatorValue);
        OptimizerChecks.NonNegative(Name, "eps", eps);
        LrDecay = lrDecay;
        WeightDecay = weightDecay;
        InitialAccumulatorValue = initialAccumulatorValue;
        Eps = eps;
    }

    public double LrDecay { get; }

    public double WeightDecay { get; }

    public double InitialAccumulatorValue { get; }

    public double Eps { get; }

    protected override int StateVectorCount => 1;

    protected override float InitialStateValue(int vector) => (float)InitialAccumulatorValue;

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int step)
    {
        Span<float> sum = StateVector(0);
        float minusRate = (float)(-(LearningRate / (1 + (step - 1) * LrDecay)));
        float decay = (float)WeightDecay;
        float eps = (float)Eps;
        int n = parameters.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float p = ref MemoryMarshal.GetReference(parameters);
            ref float g = ref MemoryMarshal.GetReference(gradients);
            ref float s = ref MemoryMarshal.GetReference(sum);
            var vRate = Vector256.Create(minusRate);
            var vDecay = Vector256.Create(decay);
            var vEps = Vector256.Create(eps);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var pv = Vector256.LoadUnsafe(ref p, (nuint)i);
                var gv = Vector256.LoadUnsafe(ref g, (nuint)i) + vDecay * pv;
                var sv = Vector256.LoadUnsafe(ref s, (nuint)i) + gv * gv;
                sv.StoreUnsafe(ref s, (nuint)i);
                (pv + vRate * gv / (Vector256.Sqrt(sv) + vEps)).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float g = gradients[i] + decay * parameters[i];
            float s = sum[i] + g * g;
            sum[i] = s;
            parameters[i] += minusRate * g / (MathF.Sqrt(s) + eps);
        }
    }
}
