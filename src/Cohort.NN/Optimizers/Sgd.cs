using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;
using Cohort.Tensors.Simd;

namespace Cohort.NN.Optimizers;

/// <summary>
/// Stochastic gradient descent as torch.optim.SGD (PyTorch 1.13): d = g + λθ; with momentum μ,
/// b = d on the first step and b ← μb + (1 − τ)d after; d = d + μb (Nesterov) or b; θ ← θ − ηd.
/// State: [momentum buffer] when μ &gt; 0, else none.
/// </summary>
public sealed class Sgd : FlatOptimizer
{
    private readonly float _momentum;
    private readonly float _keep;
    private readonly float _weightDecay;

    /// <param name="learningRate">η; torch requires it, so there is no default.</param>
    /// <param name="momentum">μ (torch default 0).</param>
    /// <param name="dampening">τ (torch default 0).</param>
    /// <param name="nesterov">Nesterov momentum; needs μ &gt; 0 and τ = 0, as torch.</param>
    /// <param name="weightDecay">λ, L2 penalty added to the gradient (torch default 0).</param>
    public Sgd(float learningRate, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
        : base(nameof(Sgd), learningRate)
    {
        OptimizerChecks.NonNegative(Name, "momentum", momentum);
        OptimizerChecks.NonNegative(Name, "dampening", dampening);
        OptimizerChecks.NonNegative(Name, "weight_decay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException($"{Name}: nesterov needs momentum > 0 and dampening = 0, got momentum {momentum} and dampening {dampening}.", nameof(nesterov));
        }
        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        // Coefficients rounded once from double, as torch does with its Python scalars.
        _momentum = (float)momentum;
        _keep = (float)(1 - dampening);
        _weightDecay = (float)weightDecay;
    }

    public double Momentum { get; }

    public double Dampening { get; }

    public bool Nesterov { get; }

    public double WeightDecay { get; }

    protected override int StateVectorCount => Momentum > 0 ? 1 : 0;

    /// <summary>No momentum and no weight decay: θ += −η·g, which a backward pass can apply itself.</summary>
    public bool IsPlain => Momentum == 0 && WeightDecay == 0;

    /// <summary>
    /// The plain step for the parameters outside <paramref name="applied"/> (sorted, disjoint ranges the
    /// backward pass has already stepped, see <see cref="Autograd.FusedSgd"/>); counts as one step.
    /// </summary>
    public void StepOutside(Span<float> parameters, ReadOnlySpan<float> gradients, ReadOnlySpan<(int Offset, int Length)> applied)
    {
        if (!IsPlain)
        {
            throw new InvalidOperationException($"{Name}: only plain SGD (no momentum, no weight decay) can leave part of its step to the backward pass.");
        }
        OptimizerChecks.SameLength(Name, parameters, gradients);
        StepCount++;
        float minusLr = -LearningRate;
        int start = 0;
        foreach (var (offset, length) in applied)
        {
            Streams.Axpy(minusLr, gradients[start..offset], parameters[start..offset]);
            start = offset + length;
        }
        Streams.Axpy(minusLr, gradients[start..], parameters[start..]);
    }

    /// <summary>
    /// The plain step on a gradient noised on the way (DP-SGD): g ← (g + std·z)·scale with z standard
    /// normals from <paramref name="noise"/>, then θ += −η·g, in one pass over both vectors; counts as
    /// one step. The bits of <see cref="GaussianNoise.AddScaled"/> followed by <see cref="FlatOptimizer.Step"/>.
    /// </summary>
    public void StepNoised(Span<float> parameters, Span<float> gradients, ref RandomStream noise, float std, float scale)
    {
        if (!IsPlain)
        {
            throw new InvalidOperationException($"{Name}: only plain SGD (no momentum, no weight decay) can take its step in the noise's pass.");
        }
        OptimizerChecks.SameLength(Name, parameters, gradients);
        StepCount++;
        GaussianNoise.AddScaledThenAxpy(ref noise, gradients, std, scale, -LearningRate, parameters);
    }

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int step)
    {
        if (Momentum > 0)
        {
            WithMomentum(parameters, gradients, StateVector(0), step == 1);
        }
        else
        {
            Plain(parameters, gradients);
        }
    }

    private void Plain(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        float minusLr = -LearningRate;
        float decay = _weightDecay;
        if (decay == 0)
        {
            // The plain step is the streaming kernel θ += −η·g.
            Streams.Axpy(minusLr, gradients, parameters);
            return;
        }
        BlockLoop.Run(new DecayStep(parameters, gradients, minusLr, decay), parameters.Length);
    }

    private void WithMomentum(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> buffer, bool first)
    {
        float minusLr = -LearningRate;
        float decay = _weightDecay;
        float momentum = _momentum;
        float keep = _keep;
        BlockLoop.Run(new MomentumStep(parameters, gradients, buffer, minusLr, decay, momentum, keep, first, Nesterov), parameters.Length);
    }

    /// <summary>d = g + λθ; θ += −η·d.</summary>
    private readonly ref struct DecayStep(Span<float> parameters, ReadOnlySpan<float> gradients, float minusLr, float decay) : IBlockOperator
    {
        private readonly Span<float> _parameters = parameters;
        private readonly ReadOnlySpan<float> _gradients = gradients;

        public static int Width => Vector256<float>.Count;

        public void Vector(int i)
        {
            ref float p = ref MemoryMarshal.GetReference(_parameters);
            var pv = Vector256.LoadUnsafe(ref p, (nuint)i);
            var d = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_gradients), (nuint)i) + Vector256.Create(decay) * pv;
            (pv + Vector256.Create(minusLr) * d).StoreUnsafe(ref p, (nuint)i);
        }

        public void Scalar(int i)
        {
            float d = _gradients[i] + decay * _parameters[i];
            _parameters[i] += minusLr * d;
        }
    }

    /// <summary>d = g + λθ; b = d (first step) or μb + (1 − τ)d; d = d + μb (Nesterov) or b; θ += −η·d.</summary>
    private readonly ref struct MomentumStep(
        Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> buffer,
        float minusLr, float decay, float momentum, float keep, bool first, bool nesterov) : IBlockOperator
    {
        private readonly Span<float> _parameters = parameters;
        private readonly ReadOnlySpan<float> _gradients = gradients;
        private readonly Span<float> _buffer = buffer;

        public static int Width => Vector256<float>.Count;

        public void Vector(int i)
        {
            ref float p = ref MemoryMarshal.GetReference(_parameters);
            ref float b = ref MemoryMarshal.GetReference(_buffer);
            var vMomentum = Vector256.Create(momentum);
            var pv = Vector256.LoadUnsafe(ref p, (nuint)i);
            var d = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_gradients), (nuint)i) + Vector256.Create(decay) * pv;
            var bv = first ? d : Vector256.LoadUnsafe(ref b, (nuint)i) * vMomentum + Vector256.Create(keep) * d;
            bv.StoreUnsafe(ref b, (nuint)i);
            d = nesterov ? d + vMomentum * bv : bv;
            (pv + Vector256.Create(minusLr) * d).StoreUnsafe(ref p, (nuint)i);
        }

        public void Scalar(int i)
        {
            float d = _gradients[i] + decay * _parameters[i];
            float b = first ? d : _buffer[i] * momentum + keep * d;
            _buffer[i] = b;
            d = nesterov ? d + momentum * b : b;
            _parameters[i] += minusLr * d;
        }
    }
}
