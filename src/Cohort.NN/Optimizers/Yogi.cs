using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        int n = parameters.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float p = ref MemoryMarshal.GetReference(parameters);
            ref float g = ref MemoryMarshal.GetReference(gradients);
            ref float mr = ref MemoryMarshal.GetReference(m);
            ref float vr = ref MemoryMarshal.GetReference(v);
            var vBeta1 = Vector256.Create(beta1);
            var vOneMinusBeta1 = Vector256.Create(oneMinusBeta1);
            var vOneMinusBeta2 = Vector256.Create(oneMinusBeta2);
            var vLr = Vector256.Create(minusLr);
            var vEps = Vector256.Create(eps);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var gv = Vector256.LoadUnsafe(ref g, (nuint)i);
                var mv = Vector256.LoadUnsafe(ref mr, (nuint)i) * vBeta1 + vOneMinusBeta1 * gv;
                var vv = Vector256.LoadUnsafe(ref vr, (nuint)i);
                var g2 = gv * gv;
                var difference = vv - g2;
                var change = vOneMinusBeta2 * g2;
                // sign(v − g²) as a select, so a zero difference leaves v unchanged.
                vv = Vector256.ConditionalSelect(Vector256.GreaterThan(difference, Vector256<float>.Zero), vv - change,
                    Vector256.ConditionalSelect(Vector256.LessThan(difference, Vector256<float>.Zero), vv + change, vv));
                mv.StoreUnsafe(ref mr, (nuint)i);
                vv.StoreUnsafe(ref vr, (nuint)i);
                var pv = Vector256.LoadUnsafe(ref p, (nuint)i);
                (pv + vLr * mv / (Vector256.Sqrt(vv) + vEps)).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float g = gradients[i];
            float mi = m[i] * beta1 + oneMinusBeta1 * g;
            float vi = v[i];
            float g2 = g * g;
            float difference = vi - g2;
            float change = oneMinusBeta2 * g2;
            vi = difference > 0 ? vi - change : difference < 0 ? vi + change : vi;
            m[i] = mi;
            v[i] = vi;
            parameters[i] += minusLr * mi / (MathF.Sqrt(vi) + eps);
        }
    }
}
