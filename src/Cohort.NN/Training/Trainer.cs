using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.NN.Optimizers;
using Cohort.Tensors;

namespace Cohort.NN.Training;

/// <summary>
/// Runs classification training steps for one model with memory it owns: a tape whose arena is
/// reused every step and an input tensor sized for the largest batch, so steps allocate nothing.
/// </summary>
internal sealed class Trainer
{
    private readonly Tensor _input;
    private readonly int _sampleSize;
    private readonly FusedSgd _fused = new();

    public Trainer(Model model, IOptimizer optimizer, int maxBatch, int threads = 1)
    {
        Model = model;
        Optimizer = optimizer;
        MaxBatch = maxBatch;
        _sampleSize = model.SampleShape.Size;
        _input = new Tensor(new float[maxBatch * _sampleSize], 0, BatchShape(maxBatch), "input");
        Tape = new Tape { Threads = threads };
    }

    public Model Model { get; }

    public IOptimizer Optimizer { get; }

    public Tape Tape { get; }

    public int MaxBatch { get; }

    /// <summary>
    /// With plain SGD, let the backward pass step the weights that one operation uses (default on;
    /// the same bits either way, see <see cref="FusedSgd"/>). Their gradients are then not written.
    /// </summary>
    public bool FuseSgd { get; set; } = true;

    /// <summary>One step of SGD-family training on a batch: forward, cross-entropy, backward, update. Returns the loss.</summary>
    public float Step(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => Step(inputs, labels, Optimizer);

    /// <summary>As <see cref="Step(ReadOnlySpan{float}, ReadOnlySpan{int})"/> with another optimizer over the model's flat vectors.</summary>
    public float Step(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, IOptimizer optimizer)
    {
        var logits = Forward(inputs, labels.Length, training: true);
        var loss = Tape.CrossEntropy(logits, labels);
        if (FuseSgd && optimizer is Sgd { IsPlain: true } sgd)
        {
            _fused.Plan(Tape, Model.Parameters, sgd.LearningRate);
            _fused.ClearGradientsOutside(Model.Gradients);
            Tape.FusedSgd = _fused;
            try
            {
                Tape.Backward(loss);
            }
            finally
            {
                Tape.FusedSgd = null;
            }
            sgd.StepOutside(Model.Parameters, Model.Gradients, _fused.Ranges);
            _fused.Clear();
            return loss.Data[0];
        }
        Model.ZeroGrad();
        Tape.Backward(loss);
        optimizer.Step(Model.Parameters, Model.Gradients);
        return loss.Data[0];
    }

    /// <summary>Forward pass of a batch; the result lives in the tape's arena until the next call.</summary>
    public Tensor Forward(ReadOnlySpan<float> inputs, int batch, bool training)
    {
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentException($"Batch of {batch} samples is outside [1, {MaxBatch}].");
        }
        if (inputs.Length != batch * _sampleSize)
        {
            throw new ArgumentException($"Batch of {batch} samples of shape {Model.SampleShape} needs {batch * _sampleSize} values; got {inputs.Length}.");
        }
        Tape.Reset();
        Tape.Training = training;
        Tape.GradEnabled = training;
        _input.Rebind(_input.Buffer, 0, BatchShape(batch));
        inputs.CopyTo(_input.Data);
        return Model.Forward(Tape, _input);
    }

    private Shape BatchShape(int batch)
    {
        Span<int> dims = stackalloc int[Shape.MaxRank];
        dims[0] = batch;
        Model.SampleShape.CopyTo(dims[1..]);
        return Shape.Of(dims[..(Model.SampleShape.Rank + 1)]);
    }
}
