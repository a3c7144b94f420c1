using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.NN.Optimizers;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.NN.Training;

/// <summary>
/// One step of DP-SGD (Abadi et al. 2016) on a trainer's model: each example's gradient clipped to
/// L2 norm C, the clipped gradients summed, N(0, σ²C²) added to every coordinate, the sum divided
/// by the expected batch size q·n of Poisson sampling (a fixed denominator, as the accountant
/// analyses it, not the drawn batch's size), then the optimizer's step.
/// <para>
/// Two backward passes over one forward: the first (input gradients only, no weight-gradient products) gives each example's gradient norm from the
/// operations' saved activations and output gradients (<see cref="PerExampleNorms"/>); the second,
/// seeded with each example's logit gradient times its clip factor min(1, C/‖∇ᵢ‖), gives the
/// clipped sum directly. A model using a parameter in an operation that cannot split its gradient by
/// example (the LSTM) has its norms from batch-of-one passes instead.
/// </para>
/// </summary>
internal sealed class DpSgdStep
{
    private readonly Trainer _trainer;
    private readonly double[] _squaredNorms;
    private readonly float[] _factors;
    private float[] _chunkSum = [];

    public DpSgdStep(Trainer trainer, double clipNorm, double noiseMultiplier, double expectedBatchSize)
    {
        if (!(clipNorm > 0) || !double.IsFinite(clipNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(clipNorm), $"DP-SGD clip norm C must be positive and finite; got {clipNorm}.");
        }
        if (!(noiseMultiplier >= 0) || !double.IsFinite(noiseMultiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), $"DP-SGD noise multiplier σ must be non-negative and finite; got {noiseMultiplier}.");
        }
        if (!(expectedBatchSize > 0) || !double.IsFinite(expectedBatchSize))
        {
            throw new ArgumentOutOfRangeException(nameof(expectedBatchSize), $"DP-SGD expected batch size (q times the examples) must be positive and finite; got {expectedBatchSize}.");
        }
        _trainer = trainer;
        ClipNorm = clipNorm;
        NoiseMultiplier = noiseMultiplier;
        ExpectedBatchSize = expectedBatchSize;
        _squaredNorms = new double[trainer.MaxBatch];
        _factors = new float[trainer.MaxBatch];
    }

    /// <summary>C: the largest L2 norm an example's gradient keeps.</summary>
    public double ClipNorm { get; }

    /// <summary>σ: the noise's standard deviation is σ·C.</summary>
    public double NoiseMultiplier { get; }

    /// <summary>The denominator: the expected batch size q·n under Poisson sampling.</summary>
    public double ExpectedBatchSize { get; }

    /// <summary>Whether the last step's norms came from batch-of-one passes (a layer that cannot split its gradient by example).</summary>
    public bool NormsFromBatchOfOne { get; private set; }

    /// <summary>Fraction of the last step's examples whose gradient was scaled down.</summary>
    public double ClippedFraction { get; private set; }

    /// <summary>How many of the last step's examples had their gradient scaled down.</summary>
    public int ClippedExamples { get; private set; }

    /// <summary>min(1, C/‖g‖), with a zero gradient kept as it is.</summary>
    public static float ClipFactor(double norm, double clipNorm) => norm <= clipNorm ? 1f : (float)(clipNorm / norm);

    /// <summary>Each example's gradient norm in the last step (of its own loss, not the batch mean's share).</summary>
    public void CopyNormsTo(Span<double> norms)
    {
        for (int i = 0; i < norms.Length; i++)
        {
            norms[i] = Math.Sqrt(_squaredNorms[i]);
        }
    }

    /// <summary>
    /// Clips, sums, noises and divides (<see cref="GaussianNoise"/>, in one pass over the gradient), then steps; returns the batch's mean loss (0 for an empty batch). A batch
    /// larger than the trainer's (a Poisson batch may be) is summed in chunks the trainer takes.
    /// </summary>
    public float Step(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, IOptimizer optimizer, ref RandomStream noise)
    {
        var model = _trainer.Model;
        ClippedExamples = 0;
        ClippedFraction = 0;
        float loss = labels.Length == 0 ? 0f : labels.Length <= _trainer.MaxBatch ? ClippedSum(inputs, labels) : ClippedSumInChunks(inputs, labels);
        if (labels.Length == 0)
        {
            model.ZeroGrad();
        }
        var grads = model.Gradients;
        float scale = (float)(1.0 / ExpectedBatchSize);
        if (NoiseMultiplier > 0 && optimizer is Sgd { IsPlain: true } sgd)
        {
            // One pass over the parameters for noise, division and step instead of two.
            sgd.StepNoised(model.Parameters, grads, ref noise, (float)(NoiseMultiplier * ClipNorm), scale);
            return loss;
        }
        if (NoiseMultiplier > 0)
        {
            GaussianNoise.AddScaled(ref noise, grads, (float)(NoiseMultiplier * ClipNorm), scale);
        }
        else
        {
            for (int i = 0; i < grads.Length; i++)
            {
                grads[i] *= scale;
            }
        }
        optimizer.Step(model.Parameters, grads);
        return loss;
    }

    /// <summary>The clipped sum of a batch larger than the trainer's: each chunk's clipped sum, added up; returns the mean loss.</summary>
    private float ClippedSumInChunks(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int n = labels.Length, size = inputs.Length / n, max = _trainer.MaxBatch;
        var grads = _trainer.Model.Gradients;
        if (_chunkSum.Length != grads.Length)
        {
            _chunkSum = new float[grads.Length];
        }
        Array.Clear(_chunkSum);
        double loss = 0;
        int clipped = 0;
        for (int start = 0; start < n; start += max)
        {
            int m = Math.Min(max, n - start);
            loss += (double)ClippedSum(inputs.Slice(start * size, m * size), labels.Slice(start, m)) * m;
            clipped += ClippedExamples;
            for (int i = 0; i < grads.Length; i++)
            {
                _chunkSum[i] += grads[i];
            }
        }
        _chunkSum.CopyTo(grads);
        ClippedExamples = clipped;
        ClippedFraction = (double)clipped / n;
        return (float)(loss / n);
    }

    /// <summary>Leaves Σᵢ min(1, C/‖∇ᵢ‖)·∇ᵢ in the model's gradients (no noise, no division); returns the mean loss.</summary>
    public float ClippedSum(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        var model = _trainer.Model;
        var tape = _trainer.Tape;
        int n = labels.Length;
        var squared = _squaredNorms.AsSpan(0, n);
        var logits = _trainer.Forward(inputs, n, training: true);
        int forwardNodes = tape.NodeCount;
        var loss = tape.CrossEntropy(logits, labels);
        float value = loss.Data[0];
        // The norms need only the operations' output gradients: the weight-gradient products wait for the
        // second pass, which starts from cleared gradients, so whatever this one leaves in them is not read.
        tape.InputGradientsOnly = true;
        try
        {
            tape.Backward(loss);
        }
        finally
        {
            tape.InputGradientsOnly = false;
        }
        squared.Clear();
        NormsFromBatchOfOne = PerExampleNorms.TryAdd(tape, model.Gradients, squared) is not null;
        if (NormsFromBatchOfOne)
        {
            BatchOfOneSquaredNorms(inputs, labels, squared);
            logits = _trainer.Forward(inputs, n, training: true);
            forwardNodes = tape.NodeCount;
        }
        else
        {
            // The mean loss seeded each example's gradient with 1/n.
            double n2 = (double)n * n;
            for (int i = 0; i < n; i++)
            {
                squared[i] *= n2;
            }
        }
        int clipped = 0;
        for (int i = 0; i < n; i++)
        {
            _factors[i] = ClipFactor(Math.Sqrt(squared[i]), ClipNorm);
            clipped += _factors[i] < 1f ? 1 : 0;
        }
        ClippedExamples = clipped;
        ClippedFraction = (double)clipped / n;
        tape.ClearGradients();
        model.ZeroGrad();
        SeedWeightedLogits(logits, labels, _factors);
        tape.BackwardThrough(forwardNodes);
        return value;
    }

    /// <summary>Row i of the logits' gradient: wᵢ·(softmax(zᵢ) − onehot(yᵢ)), example i's own cross-entropy gradient reweighted.</summary>
    private static void SeedWeightedLogits(Tensor logits, ReadOnlySpan<int> labels, ReadOnlySpan<float> weights)
    {
        int n = logits.Shape[0], classes = logits.Shape[1];
        var grad = logits.Grad;
        Softmaxes.LogSoftmax(logits.Data, grad, n, classes);
        for (int i = 0; i < n; i++)
        {
            var row = grad.Slice(i * classes, classes);
            for (int j = 0; j < classes; j++)
            {
                row[j] = weights[i] * MathF.Exp(row[j]);
            }
            row[labels[i]] -= weights[i];
        }
    }

    private void BatchOfOneSquaredNorms(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Span<double> squared)
    {
        var model = _trainer.Model;
        int size = inputs.Length / labels.Length;
        for (int i = 0; i < labels.Length; i++)
        {
            var logits = _trainer.Forward(inputs.Slice(i * size, size), 1, training: true);
            var loss = _trainer.Tape.CrossEntropy(logits, labels.Slice(i, 1));
            model.ZeroGrad();
            _trainer.Tape.Backward(loss);
            squared[i] = PerExampleNorms.SquaredNorm(model.Gradients);
        }
    }
}
