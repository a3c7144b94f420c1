using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Simd;

namespace Cohort.NN.Optimizers;

/// <summary>
/// Yogi (Zaheer et al., NeurIPS 2018) in the form FedYogi uses (Reddi et al., ICLR 2021,
/// "Adaptive Federated Optimization", Algorithm 2): m ← β1m + (1 − β1)g;
/// v ← v − (1 − β2)·sign(v − g²)·g²; θ ← θ − η·m / (√v + ε), without bias correction.
/// State: [m, v], v starting at the initial accumulator value.
/// </summary>
public sealed class Yogi : FlatOptimizer
{
    /// <param name="learningRate">η; 1e-2 as Zaheer et al. 2018 recommend (and TF Addons' Yogi).</param>
    /// <param name="beta1">β1; 0.9 as Reddi et al. 2021 (Section 5) use for FedYogi.</param>
    /// <param name="beta2">β2; 0.99 as Reddi et al. 2021 (Section 5) use for FedYogi.</param>
    /// <param name="eps">ε (τ in Reddi et al.); 1e-3 as Zaheer et al. 2018 recommend.</param>
    /// <param name="initialAccumulatorValue">v's start; 1e-6 = ε², the least Reddi et al. 2021 allow (v₋₁ ≥ τ²), and TF Addons' Yogi default.</param>
    public Yogi(float learningRate = 1e-2f, double beta1 = 0.9, double beta2 = 0.99, double eps = 1e-3, double initialAccumulatorValue = 1e-6)
        : base(nameof(Yogi), learningRate)
    {
        OptimizerChecks.UnitInterval(Name, "beta1", beta1);
        OptimizerChecks.UnitInterval(Name, "beta2", beta2);
        OptimizerChecks.NonNegative(Name, "eps", eps);
        OptimizerChecks.NonNegative(Name, "initial_accumulator_value", initialAccumulatorValue);
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        InitialAccumulatorValue = initialAccumulatorValue;
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Eps { get; }

    public double InitialAccumulatorValue { get; }

    protected override int StateVectorCount => 2;

    protected override float InitialStateValue(int vector) => vector == 1 ? (float)InitialAccumulatorValue : 0f;

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int step)
    {
        Span<float> m = StateVector(0);
        Span<float> v = StateVector(1);
        float beta1 = (float)Beta1;
        float oneMinusBeta1 = (float)(1 - Beta1);
        float oneMinusBeta2 = (float)(1 - Beta2);
        float minusLr = -LearningRate;
        float eps = (float)Eps;
        BlockLoop.Run(new YogiStep(parameters, gradients, m, v, beta1, oneMinusBeta1, oneMinusBeta2, minusLr, eps), parameters.Length);
    }

    /// <summary>m ← β1m + (1 − β1)g; v ← v − (1 − β2)·sign(v − g²)·g²; θ += −η·m / (√v + ε).</summary>
    private readonly ref struct YogiStep(
        Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> v,
        float beta1, float oneMinusBeta1, float oneMinusBeta2, float minusLr, float eps) : IBlockOperator
    {
        private readonly Span<float> _parameters = parameters;
        private readonly ReadOnlySpan<float> _gradients = gradients;
        private readonly Span<float> _m = m;
        private readonly Span<float> _v = v;

        public static int Width => Vector256<float>.Count;

        public void Vector(int i)
        {
            ref float mr = ref MemoryMarshal.GetReference(_m);
            ref float vr = ref MemoryMarshal.GetReference(_v);
            ref float p = ref MemoryMarshal.GetReference(_parameters);
            var gv = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_gradients), (nuint)i);
            var mv = Vector256.LoadUnsafe(ref mr, (nuint)i) * Vector256.Create(beta1) + Vector256.Create(oneMinusBeta1) * gv;
            var vv = Vector256.LoadUnsafe(ref vr, (nuint)i);
            var g2 = gv * gv;
            var difference = vv - g2;
            var change = Vector256.Create(oneMinusBeta2) * g2;
            // sign(v − g²) as a select, so a zero difference leaves v unchanged.
            vv = Vector256.ConditionalSelect(Vector256.GreaterThan(difference, Vector256<float>.Zero), vv - change,
                Vector256.ConditionalSelect(Vector256.LessThan(difference, Vector256<float>.Zero), vv + change, vv));
            mv.StoreUnsafe(ref mr, (nuint)i);
            vv.StoreUnsafe(ref vr, (nuint)i);
            var pv = Vector256.LoadUnsafe(ref p, (nuint)i);
            (pv + Vector256.Create(minusLr) * mv / (Vector256.Sqrt(vv) + Vector256.Create(eps))).StoreUnsafe(ref p, (nuint)i);
        }

        public void Scalar(int i)
        {
            float g = _gradients[i];
            float mi = _m[i] * beta1 + oneMinusBeta1 * g;
            float vi = _v[i];
            float g2 = g * g;
            float difference = vi - g2;
            float change = oneMinusBeta2 * g2;
            vi = difference > 0 ? vi - change : difference < 0 ? vi + change : vi;
            _m[i] = mi;
            _v[i] = vi;
            _parameters[i] += minusLr * mi / (MathF.Sqrt(vi) + eps);
        }
    }
}
