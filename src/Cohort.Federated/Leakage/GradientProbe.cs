using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Cohort.Federated.Leakage;

/// <summary>
/// The engine passes a gradient-leakage attack needs on one model and batch size: the mean cross-entropy
/// of a batch against soft labels (rows of class probabilities; one-hot rows give the engine's own loss),
/// its gradient with respect to the parameters, the input and the labels, and the mixed second
/// derivative ∇ₓ⟨∇θL, v⟩ by a central difference of input gradients along v. Evaluation mode, so
/// dropout and batch norm are deterministic. Owns its tape and buffers.
/// </summary>
internal sealed class GradientProbe
{
    /// <summary>The default central-difference step along the unit direction, relative to ‖θ‖.</summary>
    public const double DefaultRelativeStep = 1e-5;

    private readonly Model _model;
    private readonly Tape _tape = new() { Training = false };
    private readonly Tensor _input;
    private readonly float[] _inputGrad;
    private readonly float[] _saved;
    private readonly float[] _scratchGrad;
    private readonly float[] _plus;
    private readonly float[] _plusTargets;

    public GradientProbe(Model model, int batch, double relativeStep = DefaultRelativeStep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(relativeStep);
        _model = model;
        RelativeStep = relativeStep;
        Batch = batch;
        SampleSize = model.SampleShape.Size;
        Span<int> dims = stackalloc int[Shape.MaxRank];
        dims[0] = batch;
        model.SampleShape.CopyTo(dims[1..]);
        _inputGrad = new float[batch * SampleSize];
        _input = new Tensor(new float[batch * SampleSize], 0, Shape.Of(dims[..(model.SampleShape.Rank + 1)]), "dummy input") { RequiresGrad = true };
        _input.AttachGrad(_inputGrad, 0);
        _tape.Reset();
        var logits = _model.Forward(_tape, _input);
        Classes = logits.Shape[1];
        _saved = new float[model.ParameterCount];
        _scratchGrad = new float[model.ParameterCount];
        _plus = new float[batch * SampleSize];
        _plusTargets = new float[batch * Classes];
    }

    public Model Model => _model;

    public int Batch { get; }

    public int SampleSize { get; }

    public int Classes { get; }

    public int ParameterCount => _model.ParameterCount;

    /// <summary>The central difference's step h along the unit direction, relative to ‖θ‖: small enough that few ReLUs switch, large enough for float precision.</summary>
    public double RelativeStep { get; }

    /// <summary>
    /// The mean soft-label cross-entropy L = −(1/B) Σ t·log softmax(z) at (x, targets); writes ∇θL, ∇ₓL and
    /// ∂L/∂t (any may be empty to skip copying it out).
    /// </summary>
    public double Loss(ReadOnlySpan<float> x, ReadOnlySpan<float> targets, Span<float> parameterGradient, Span<float> inputGradient, Span<float> targetGradient)
    {
        x.CopyTo(_input.Data);
        Array.Clear(_inputGrad);
        _model.ZeroGrad();
        _tape.Reset();
        var logits = _model.Forward(_tape, _input);
        double loss = SeedLogitGradient(logits.Data, logits.Grad, targets, targetGradient);
        _tape.BackwardFrom();
        if (!parameterGradient.IsEmpty)
        {
            _model.Gradients.CopyTo(parameterGradient);
        }
        if (!inputGradient.IsEmpty)
        {
            _inputGrad.CopyTo(inputGradient);
        }
        return loss;
    }

    /// <summary>
    /// ∇ₓ⟨∇θL, v⟩ and ∇ₜ⟨∇θL, v⟩ ≈ ‖v‖ [∇L(θ + h·v̂) − ∇L(θ − h·v̂)] / 2h with v̂ = v/‖v‖ and h = <see cref="RelativeStep"/>·‖θ‖:
    /// a Hessian-vector product from input gradients alone. The parameters are restored bit for bit.
    /// </summary>
    public void MixedProduct(ReadOnlySpan<float> x, ReadOnlySpan<float> targets, ReadOnlySpan<float> v, Span<float> inputProduct, Span<float> targetProduct)
    {
        double norm = Math.Sqrt(TensorPrimitives.SumOfSquares(v));
        if (norm == 0)
        {
            inputProduct.Clear();
            targetProduct.Clear();
            return;
        }
        var theta = _model.Parameters;
        theta.CopyTo(_saved, 0);
        double h = RelativeStep * Math.Max(Math.Sqrt(TensorPrimitives.SumOfSquares(theta)), 1e-3);
        Shift(v, h / norm);
        Loss(x, targets, _scratchGrad, _plus, _plusTargets);
        Shift(v, -h / norm);
        Loss(x, targets, _scratchGrad, inputProduct, targetProduct);
        _saved.CopyTo(theta, 0);
        double scale = norm / (2 * h);
        for (int i = 0; i < inputProduct.Length; i++)
        {
            inputProduct[i] = (float)((_plus[i] - inputProduct[i]) * scale);
        }
        for (int i = 0; i < targetProduct.Length; i++)
        {
            targetProduct[i] = (float)((_plusTargets[i] - targetProduct[i]) * scale);
        }
    }

    /// <summary>θ = saved θ + step·v.</summary>
    private void Shift(ReadOnlySpan<float> v, double step)
    {
        var theta = _model.Parameters;
        for (int i = 0; i < theta.Length; i++)
        {
            theta[i] = (float)(_saved[i] + step * v[i]);
        }
    }

    /// <summary>∂L/∂z = (p·Σt − t)/B into the logits' gradient, ∂L/∂t = −log p / B; returns L.</summary>
    private double SeedLogitGradient(ReadOnlySpan<float> logits, Span<float> logitGrad, ReadOnlySpan<float> targets, Span<float> targetGradient)
    {
        int classes = Classes;
        double loss = 0, inverse = 1.0 / Batch;
        Span<double> logp = stackalloc double[classes];
        for (int b = 0; b < Batch; b++)
        {
            var z = logits.Slice(b * classes, classes);
            var t = targets.Slice(b * classes, classes);
            double max = double.NegativeInfinity, sum = 0, mass = 0;
            foreach (float value in z)
            {
                max = Math.Max(max, value);
            }
            foreach (float value in z)
            {
                sum += Math.Exp(value - max);
            }
            double logSum = max + Math.Log(sum);
            for (int c = 0; c < classes; c++)
            {
                logp[c] = z[c] - logSum;
                mass += t[c];
                loss -= t[c] * logp[c] * inverse;
            }
            for (int c = 0; c < classes; c++)
            {
                logitGrad[b * classes + c] = (float)((Math.Exp(logp[c]) * mass - t[c]) * inverse);
                if (!targetGradient.IsEmpty)
                {
                    targetGradient[b * classes + c] = (float)(-logp[c] * inverse);
                }
            }
        }
        return loss;
    }

    /// <summary>One-hot rows of <paramref name="labels"/>.</summary>
    public float[] OneHot(ReadOnlySpan<int> labels)
    {
        var targets = new float[labels.Length * Classes];
        for (int b = 0; b < labels.Length; b++)
        {
            targets[b * Classes + labels[b]] = 1;
        }
        return targets;
    }
}
