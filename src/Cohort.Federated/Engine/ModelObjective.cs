using Cohort.Data;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Metrics;
using Cohort.Federated.Privacy;
using Cohort.NN.Adversarial;
using Cohort.NN.Ops;
using Cohort.NN.Optimizers;
using Cohort.NN.Training;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Engine;

/// <summary>
/// A client's cross-entropy over its samples with a worker's model replica: mini-batches in an order
/// drawn from the (seed, round, client) stream, reshuffled each epoch; with adversarial training each
/// drawn batch is replaced by its perturbation. One per worker, rebound to each client it runs, so
/// steps allocate nothing. With DP-SGD each step instead draws a Poisson batch from the (seed, shuffle,
/// round, client) stream and takes a <see cref="DpSgdStep"/> with noise from the (seed, dp.sgd, round, client) stream,
/// counting its examples and those it clipped into the run's <see cref="ClippingMeter"/> (<c>clipped_fraction</c>).
/// </summary>
internal sealed class ModelObjective(Worker worker) : ILocalObjective
{
    private Dataset? _data;
    private int[] _indices = [];
    private ReadOnlyMemory<float> _buffers;
    private RandomStream _shuffle;
    private RandomStream _adversarial;
    private PerturbationOptions? _perturbation;
    private int _position;
    private int _batch;
    private float[] _savedParameters = [];
    private float[] _savedGradients = [];
    private float[] _savedBuffers = [];
    private DpSgdStep? _private;
    private ClippingMeter? _clipping;
    private RandomStream _noise;
    private int[] _poissonIndices = [];
    private float[] _poissonInputs = [];
    private int[] _poissonLabels = [];

    public Span<float> Parameters => worker.Model.Parameters;

    public Span<float> Gradients => worker.Model.Gradients;

    public int Samples => _indices.Length;

    public int BatchSize => worker.Train.MaxBatch;

    /// <summary>
    /// Points the objective at a client's samples for a round; <paramref name="buffers"/> are the broadcast
    /// non-trainable state, <paramref name="adversarial"/> the perturbation drawn batches are trained on (null: none).
    /// </summary>
    public ModelObjective Bind(Dataset data, int[] indices, ulong seed, int round, int client, ReadOnlyMemory<float> buffers,
        PerturbationOptions? adversarial = null, DpSgdOptions? privateSteps = null, ClippingMeter? clipping = null)
    {
        _clipping = clipping;
        int expectedBatch = Math.Min(BatchSize, indices.Length);
        _private = privateSteps is { } dp && expectedBatch > 0 ? new DpSgdStep(worker.Train, dp.Clip, dp.NoiseMultiplier, expectedBatch) : null;
        _noise = RandomStream.Create(seed, RandomStream.Purpose("dp.sgd"), round, client);
        _data = data;
        _indices = indices;
        _buffers = buffers;
        _perturbation = adversarial;
        _shuffle = RandomStream.Create(seed, RandomStream.Purpose("shuffle"), round, client);
        _adversarial = RandomStream.Create(seed, RandomStream.Purpose("adversarial"), round, client);
        worker.Train.Tape.Random = RandomStream.Create(seed, RandomStream.Purpose("dropout"), round, client);
        _position = indices.Length;
        _batch = 0;
        return this;
    }

    public void Load(ReadOnlySpan<float> parameters)
    {
        parameters.CopyTo(worker.Model.Parameters);
        _buffers.Span.CopyTo(worker.Model.Buffers);
    }

    public float NextBatch()
    {
        if (_private is not null)
        {
            throw new ConfigException("privacy.mechanism dp-sgd: this method changes each local gradient, which DP-SGD's clipping and noise would not cover; use a method that takes plain local steps (fedavg, fedavgm, fedadam, …).");
        }
        DrawBatch();
        return BatchGradient();
    }

    public float NextBatchStep(IOptimizer optimizer)
    {
        if (_private is not null)
        {
            return PrivateStep(optimizer);
        }
        DrawBatch();
        var train = worker.Train;
        return train.Step(worker.BatchInputs.AsSpan(0, _batch * worker.Model.SampleShape.Size), worker.BatchLabels.AsSpan(0, _batch), optimizer);
    }

    /// <summary>Moves past the next batches' places in the order, as drawing them would; adversarial perturbations are drawn only for batches drawn.</summary>
    public void SkipBatches(int count)
    {
        for (int i = 0; i < count && _indices.Length > 0; i++)
        {
            NextBatchStart();
        }
    }

    /// <summary>The next batch's first place in the order (reshuffled at each epoch's start); sets its size.</summary>
    private int NextBatchStart()
    {
        int n = _indices.Length;
        if (_position >= n)
        {
            var order = worker.Order(n);
            _indices.AsSpan().CopyTo(order);
            _shuffle.Shuffle(order.AsSpan(0, n));
            _position = 0;
        }
        _batch = Math.Min(BatchSize, n - _position);
        int start = _position;
        _position += _batch;
        return start;
    }

    private void DrawBatch()
    {
        int start = NextBatchStart();
        Data.CopySamples(worker.Order(_indices.Length).AsSpan(start, _batch), worker.BatchInputs, worker.BatchLabels);
        if (_perturbation is { } options)
        {
            var inputs = worker.BatchInputs.AsSpan(0, _batch * worker.Model.SampleShape.Size);
            worker.Adversary.Perturb(inputs, worker.BatchLabels.AsSpan(0, _batch), options, ref _adversarial, inputs);
        }
    }

    /// <summary>One DP-SGD step on a Poisson batch: each of the client's examples in it with probability min(1, B/n).</summary>
    private float PrivateStep(IOptimizer optimizer)
    {
        int n = _indices.Length, size = worker.Model.SampleShape.Size;
        double q = DpSgdOptions.Rate(BatchSize, n);
        Grow(ref _poissonIndices, n);
        int drawn = 0;
        foreach (int index in _indices)
        {
            if (_shuffle.NextDouble() < q)
            {
                _poissonIndices[drawn++] = index;
            }
        }
        Grow(ref _poissonInputs, drawn * size);
        Grow(ref _poissonLabels, drawn);
        Data.CopySamples(_poissonIndices.AsSpan(0, drawn), _poissonInputs, _poissonLabels);
        float loss = _private!.Step(_poissonInputs.AsSpan(0, drawn * size), _poissonLabels.AsSpan(0, drawn), optimizer, ref _noise);
        _clipping?.Count(_private.ClippedExamples, drawn);
        return loss;
    }

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[length];
        }
    }

    public void BatchGradientAt(ReadOnlySpan<float> point, Span<float> gradient)
    {
        var model = worker.Model;
        Save(model.Parameters, ref _savedParameters);
        Save(model.Gradients, ref _savedGradients);
        Save(model.Buffers, ref _savedBuffers);
        point.CopyTo(model.Parameters);
        BatchGradient();
        model.Gradients.CopyTo(gradient);
        _savedParameters.CopyTo(model.Parameters, 0);
        _savedGradients.CopyTo(model.Gradients, 0);
        _savedBuffers.CopyTo(model.Buffers, 0);
    }

    public double FullGradient()
    {
        var model = worker.Model;
        model.ZeroGrad();
        int n = _indices.Length, chunk = BatchSize, sampleSize = model.SampleShape.Size;
        double lossSum = 0;
        for (int start = 0; start < n; start += chunk)
        {
            int size = Math.Min(chunk, n - start);
            Data.CopySamples(_indices.AsSpan(start, size), worker.BatchInputs, worker.BatchLabels);
            var logits = worker.Train.Forward(worker.BatchInputs.AsSpan(0, size * sampleSize), size, training: true);
            var tape = worker.Train.Tape;
            var loss = LossOps.CrossEntropy(tape, logits, worker.BatchLabels.AsSpan(0, size));
            lossSum += loss.Data[0] * size;
            // The chunk's mean loss, weighted by its share of the client's samples.
            loss.Grad[0] = (float)size / n;
            tape.BackwardFrom();
        }
        return n == 0 ? 0 : lossSum / n;
    }

    public double FullLoss()
    {
        var model = worker.Model;
        int n = _indices.Length, chunk = Worker.EvalBatch, sampleSize = model.SampleShape.Size;
        double lossSum = 0;
        for (int start = 0; start < n; start += chunk)
        {
            int size = Math.Min(chunk, n - start);
            Data.CopySamples(_indices.AsSpan(start, size), worker.BatchInputs, worker.BatchLabels);
            var logits = worker.Eval.Forward(worker.BatchInputs.AsSpan(0, size * sampleSize), size, training: false);
            lossSum += LossOps.CrossEntropy(worker.Eval.Tape, logits, worker.BatchLabels.AsSpan(0, size)).Data[0] * size;
        }
        return n == 0 ? 0 : lossSum / n;
    }

    private Dataset Data => _data ?? throw new InvalidOperationException("The objective is not bound to a client.");

    /// <summary>Mean loss and gradient of the current mini-batch at the model's parameters.</summary>
    private float BatchGradient()
    {
        if (_batch == 0)
        {
            throw new InvalidOperationException("No mini-batch has been drawn.");
        }
        var train = worker.Train;
        var logits = train.Forward(worker.BatchInputs.AsSpan(0, _batch * worker.Model.SampleShape.Size), _batch, training: true);
        var loss = train.Tape.CrossEntropy(logits, worker.BatchLabels.AsSpan(0, _batch));
        worker.Model.ZeroGrad();
        train.Tape.Backward(loss);
        return loss.Data[0];
    }

    private static void Save(ReadOnlySpan<float> source, ref float[] copy)
    {
        if (copy.Length != source.Length)
        {
            copy = new float[source.Length];
        }
        source.CopyTo(copy);
    }
}
