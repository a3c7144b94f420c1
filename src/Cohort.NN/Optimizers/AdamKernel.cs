using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cohort.NN.Optimizers;

/// <summary>
/// The fused Adam / AdamW update of torch.optim (PyTorch 1.13), one pass over the vectors:
/// g ← g + λθ; θ ← sθ; m ← β1m + (1 − β1)g; v ← β2v + (1 − β2)g²; v̂ ← max(v̂, v) (AMSGrad);
/// θ ← θ − (α/c1)·m / (√v / √c2 + ε). Adam passes s = 1, AdamW passes λ = 0.
/// </summary>
internal static class AdamKernel
{
    public readonly record struct Coefficients(
        float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2,
        float L2, float Shrink, float MinusStepSize, float BiasCorrection2Sqrt, float Eps);

    /// <summary>Coefficients for step <paramref name="step"/> (from 1), computed in double as torch's Python scalars.</summary>
    public static Coefficients For(float learningRate, double beta1, double beta2, double eps, double l2, double shrink, int step)
    {
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        return new Coefficients(
            (float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
            (float)l2, (float)shrink, (float)(-(learningRate / biasCorrection1)), (float)Math.Sqrt(biasCorrection2), (float)eps);
    }

    public static void Run(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> v, Span<float> vMax, bool amsgrad, in Coefficients c)
    {
        int n = parameters.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float p = ref MemoryMarshal.GetReference(parameters);
            ref float g = ref MemoryMarshal.GetReference(gradients);
            ref float mr = ref MemoryMarshal.GetReference(m);
            ref float vr = ref MemoryMarshal.GetReference(v);
            ref float vMaxr = ref MemoryMarshal.GetReference(vMax);
            var beta1 = Vector256.Create(c.Beta1);
            var oneMinusBeta1 = Vector256.Create(c.OneMinusBeta1);
            var beta2 = Vector256.Create(c.Beta2);
            var oneMinusBeta2 = Vector256.Create(c.OneMinusBeta2);
            var l2 = Vector256.Create(c.L2);
            var shrink = Vector256.Create(c.Shrink);
            var minusStep = Vector256.Create(c.MinusStepSize);
            var bc2 = Vector256.Create(c.BiasCorrection2Sqrt);
            var eps = Vector256.Create(c.Eps);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var pv = Vector256.LoadUnsafe(ref p, (nuint)i);
                var gv = Vector256.LoadUnsafe(ref g, (nuint)i) + l2 * pv;
                pv *= shrink;
                var mv = Vector256.LoadUnsafe(ref mr, (nuint)i) * beta1 + oneMinusBeta1 * gv;
                var vv = Vector256.LoadUnsafe(ref vr, (nuint)i) * beta2 + oneMinusBeta2 * gv * gv;
                mv.StoreUnsafe(ref mr, (nuint)i);
                vv.StoreUnsafe(ref vr, (nuint)i);
                if (amsgrad)
                {
                    vv = Vector256.Max(Vector256.LoadUnsafe(ref vMaxr, (nuint)i), vv);
                    vv.StoreUnsafe(ref vMaxr, (nuint)i);
                }
                var denominator = Vector256.Sqrt(vv) / bc2 + eps;
                (pv + minusStep * mv / denominator).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float p = parameters[i];
            float g = gradients[i] + c.L2 * p;
            p *= c.Shrink;
            float mi = m[i] * c.Beta1 + c.OneMinusBeta1 * g;
            float vi = v[i] * c.Beta2 + c.OneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            if (amsgrad)
            {
                vi = MathF.Max(vMax[i], vi);
                vMax[i] = vi;
            }
            float denominator = MathF.Sqrt(vi) / c.BiasCorrection2Sqrt + c.Eps;
            parameters[i] = p + c.MinusStepSize * mi / denominator;
        }
    }
}
