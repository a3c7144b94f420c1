using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Simd;

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
        BlockLoop.Run(new AdagradStep(parameters, gradients, sum, minusRate, decay, eps), parameters.Length);
    }

    /// <summary>g ← g + λθ; s ← s + g²; θ += −η·g / (√s + ε).</summary>
    private readonly ref struct AdagradStep(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> sum, float minusRate, float decay, float eps) : IBlockOperator
    {
        private readonly Span<float> _parameters = parameters;
        private readonly ReadOnlySpan<float> _gradients = gradients;
        private readonly Span<float> _sum = sum;

        public static int Width => Vector256<float>.Count;

        public void Vector(int i)
        {
            ref float p = ref MemoryMarshal.GetReference(_parameters);
            ref float s = ref MemoryMarshal.GetReference(_sum);
            var pv = Vector256.LoadUnsafe(ref p, (nuint)i);
            var gv = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_gradients), (nuint)i) + Vector256.Create(decay) * pv;
            var sv = Vector256.LoadUnsafe(ref s, (nuint)i) + gv * gv;
            sv.StoreUnsafe(ref s, (nuint)i);
            (pv + Vector256.Create(minusRate) * gv / (Vector256.Sqrt(sv) + Vector256.Create(eps))).StoreUnsafe(ref p, (nuint)i);
        }

        public void Scalar(int i)
        {
            float g = _gradients[i] + decay * _parameters[i];
            float s = _sum[i] + g * g;
            _sum[i] = s;
            _parameters[i] += minusRate * g / (MathF.Sqrt(s) + eps);
        }
    }
}
