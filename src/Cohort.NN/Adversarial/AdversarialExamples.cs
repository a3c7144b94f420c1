using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.Tensors;
using Cohort.Tensors.Random;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Adversarial;

/// <summary>
/// Crafts adversarial inputs for a model by gradient steps on the cross-entropy with respect to the
/// input. Owns its tape and buffers (reused across calls). The model's parameter gradients are
/// touched and must be cleared before the next training step (the trainer does).
/// </summary>
internal sealed class AdversarialExamples
{
    private readonly Model _model;
    private readonly Tape _tape = new();
    private readonly float[] _data;
    private readonly float[] _grad;
    private readonly float[] _clean;
    private readonly Tensor _input;
    private readonly int _sampleSize;

    public AdversarialExamples(Model model, int maxBatch)
    {
        _model = model;
        _sampleSize = model.SampleShape.Size;
        _data = new float[maxBatch * _sampleSize];
        _grad = new float[maxBatch * _sampleSize];
        _clean = new float[maxBatch * _sampleSize];
        _input = new Tensor(_data, 0, BatchShape(maxBatch), "adversarial input") { RequiresGrad = true };
        _input.AttachGrad(_grad, 0);
        MaxBatch = maxBatch;
    }

    public int MaxBatch { get; }

    /// <summary>Writes the perturbed batch into <paramref name="adversarial"/> (which may be <paramref name="inputs"/> itself).</summary>
    public void Perturb(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, PerturbationOptions options, ref RandomStream random, Span<float> adversarial)
    {
        options.Validated();
        int batch = labels.Length, n = batch * _sampleSize;
        if (batch < 1 || batch > MaxBatch || inputs.Length != n || adversarial.Length != n)
        {
            throw new ArgumentException($"adversarial examples: {labels.Length} labels, {inputs.Length} inputs and room for {adversarial.Length} values do not make a batch of at most {MaxBatch} samples of {_sampleSize} values.");
        }
        // Inputs may be the output buffer itself: keep the clean batch apart.
        var clean = _clean.AsSpan(0, n);
        inputs.CopyTo(clean);
        var x = _data.AsSpan(0, n);
        clean.CopyTo(x);
        float eps = (float)options.Epsilon, step = (float)options.Step;
        if (options.RandomStart)
        {
            var noise = _grad.AsSpan(0, n);
            random.FillUniform(noise, -eps, eps);
            for (int i = 0; i < n; i++)
            {
                x[i] += noise[i];
            }
            Project(clean, x, batch, options);
        }
        _input.Rebind(_data, 0, BatchShape(batch));
        _input.AttachGrad(_grad, 0);
        for (int s = 0; s < options.Steps; s++)
        {
            InputGradient(labels, batch);
            var g = _grad.AsSpan(0, n);
            if (options.Norm == PerturbationNorm.LInf)
            {
                for (int i = 0; i < n; i++)
                {
                    x[i] += step * MathF.Sign(g[i]);
                }
            }
            else
            {
                for (int b = 0; b < batch; b++)
                {
                    var gb = g.Slice(b * _sampleSize, _sampleSize);
                    double norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(gb));
                    float scale = norm > 0 ? (float)(step / norm) : 0f;
                    var xb = x.Slice(b * _sampleSize, _sampleSize);
                    for (int i = 0; i < xb.Length; i++)
                    {
                        xb[i] += scale * gb[i];
                    }
                }
            }
            Project(clean, x, batch, options);
        }
        x.CopyTo(adversarial);
    }

    /// <summary>_grad = ∂ mean cross-entropy / ∂ input at the current input, in evaluation mode.</summary>
    private void InputGradient(ReadOnlySpan<int> labels, int batch)
    {
        _tape.Reset();
        _tape.Training = false;
        _tape.GradEnabled = true;
        _grad.AsSpan(0, batch * _sampleSize).Clear();
        var logits = _model.Forward(_tape, _input);
        var loss = _tape.CrossEntropy(logits, labels);
        _tape.Backward(loss);
    }

    /// <summary>Back into the ε-ball around the clean input, then into the valid input range.</summary>
    private void Project(ReadOnlySpan<float> clean, Span<float> x, int batch, PerturbationOptions options)
    {
        float eps = (float)options.Epsilon;
        if (options.Norm == PerturbationNorm.LInf)
        {
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = Math.Clamp(x[i], clean[i] - eps, clean[i] + eps);
            }
        }
        else
        {
            for (int b = 0; b < batch; b++)
            {
                var xb = x.Slice(b * _sampleSize, _sampleSize);
                var cb = clean.Slice(b * _sampleSize, _sampleSize);
                double norm = 0;
                for (int i = 0; i < xb.Length; i++)
                {
                    double d = xb[i] - cb[i];
                    norm += d * d;
                }
                norm = Math.Sqrt(norm);
                if (norm > eps)
                {
                    float scale = (float)(eps / norm);
                    for (int i = 0; i < xb.Length; i++)
                    {
                        xb[i] = cb[i] + (xb[i] - cb[i]) * scale;
                    }
                }
            }
        }
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = Math.Clamp(x[i], options.Min, options.Max);
        }
    }

    private Shape BatchShape(int batch)
    {
        Span<int> dims = stackalloc int[Shape.MaxRank];
        dims[0] = batch;
        _model.SampleShape.CopyTo(dims[1..]);
        return Shape.Of(dims[..(_model.SampleShape.Rank + 1)]);
    }
}
