using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Simd;

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

    public static void Run(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> v, Span<float> vMax, bool amsgrad, in Coefficients c) =>
        BlockLoop.Run(new AdamStep(parameters, gradients, m, v, vMax, amsgrad, c), parameters.Length);

    private readonly ref struct AdamStep(
        Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> v, Span<float> vMax, bool amsgrad, Coefficients c) : IBlockOperator
    {
        private readonly Span<float> _parameters = parameters;
        private readonly ReadOnlySpan<float> _gradients = gradients;
        private readonly Span<float> _m = m;
        private readonly Span<float> _v = v;
        private readonly Span<float> _vMax = vMax;

        public static int Width => Vector256<float>.Count;

        public void Vector(int i)
        {
            ref float p = ref MemoryMarshal.GetReference(_parameters);
            ref float mr = ref MemoryMarshal.GetReference(_m);
            ref float vr = ref MemoryMarshal.GetReference(_v);
            var pv = Vector256.LoadUnsafe(ref p, (nuint)i);
            var gv = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_gradients), (nuint)i) + Vector256.Create(c.L2) * pv;
            pv *= Vector256.Create(c.Shrink);
            var mv = Vector256.LoadUnsafe(ref mr, (nuint)i) * Vector256.Create(c.Beta1) + Vector256.Create(c.OneMinusBeta1) * gv;
            var vv = Vector256.LoadUnsafe(ref vr, (nuint)i) * Vector256.Create(c.Beta2) + Vector256.Create(c.OneMinusBeta2) * gv * gv;
            mv.StoreUnsafe(ref mr, (nuint)i);
            vv.StoreUnsafe(ref vr, (nuint)i);
            if (amsgrad)
            {
                ref float vMaxr = ref MemoryMarshal.GetReference(_vMax);
                vv = Vector256.Max(Vector256.LoadUnsafe(ref vMaxr, (nuint)i), vv);
                vv.StoreUnsafe(ref vMaxr, (nuint)i);
            }
            var denominator = Vector256.Sqrt(vv) / Vector256.Create(c.BiasCorrection2Sqrt) + Vector256.Create(c.Eps);
            (pv + Vector256.Create(c.MinusStepSize) * mv / denominator).StoreUnsafe(ref p, (nuint)i);
        }

        public void Scalar(int i)
        {
            float p = _parameters[i];
            float g = _gradients[i] + c.L2 * p;
            p *= c.Shrink;
            float mi = _m[i] * c.Beta1 + c.OneMinusBeta1 * g;
            float vi = _v[i] * c.Beta2 + c.OneMinusBeta2 * g * g;
            _m[i] = mi;
            _v[i] = vi;
            if (amsgrad)
            {
                vi = MathF.Max(_vMax[i], vi);
                _vMax[i] = vi;
            }
            float denominator = MathF.Sqrt(vi) / c.BiasCorrection2Sqrt + c.Eps;
            _parameters[i] = p + c.MinusStepSize * mi / denominator;
        }
    }
}
