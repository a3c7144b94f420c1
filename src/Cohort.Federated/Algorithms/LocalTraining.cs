using Cohort.Tensors.Random;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// The local SGD loop every method builds on: start from the broadcast model, run E epochs (or τ steps)
/// of mini-batches in an order drawn from the (seed, round, client) stream, and leave the model there.
/// </summary>
public static class LocalTraining
{
    public static ClientResult Run(ClientContext c)
    {
        var worker = c.Worker;
        var model = worker.Model;
        c.Global.Span.CopyTo(model.Parameters);
        c.GlobalBuffers.Span.CopyTo(model.Buffers);
        worker.Optimizer.Reset();
        worker.Optimizer.LearningRate = c.Work.LearningRate;
        worker.Train.Tape.Random = RandomStream.Create(c.Seed, RandomStream.Purpose("dropout"), c.Round, c.Client);

        var indices = c.TrainIndices;
        int n = indices.Length;
        var order = worker.Order(n);
        var random = RandomStream.Create(c.Seed, RandomStream.Purpose("shuffle"), c.Round, c.Client);
        var adversarial = RandomStream.Create(c.Seed, RandomStream.Purpose("adversarial"), c.Round, c.Client);
        int batch = c.Work.BatchSize;
        int sampleSize = model.SampleShape.Size;
        long steps = c.Work.Steps ?? (long)(c.Work.Epochs ?? 1) * ((n + batch - 1) / batch);
        double lossSum = 0;
        int batches = 0, position = n;
        for (long s = 0; s < steps && n > 0; s++)
        {
            if (position >= n)
            {
                indices.AsSpan().CopyTo(order);
                random.Shuffle(order.AsSpan(0, n));
                position = 0;
            }
            int size = Math.Min(batch, n - position);
            var batchIndices = order.AsSpan(position, size);
            position += size;
            c.Data.Train.CopySamples(batchIndices, worker.BatchInputs, worker.BatchLabels);
            if (c.Work.Adversarial is { } options)
            {
                var inputs = worker.BatchInputs.AsSpan(0, size * sampleSize);
                worker.Adversary.Perturb(inputs, worker.BatchLabels.AsSpan(0, size), options, ref adversarial, inputs);
            }
            lossSum += worker.Train.Step(worker.BatchInputs.AsSpan(0, size * sampleSize), worker.BatchLabels.AsSpan(0, size));
            batches++;
        }
        return new ClientResult(n, lossSum, batches);
    }

    /// <summary>update = local − global.</summary>
    public static void Delta(ReadOnlySpan<float> local, ReadOnlySpan<float> global, Span<float> update) =>
        System.Numerics.Tensors.TensorPrimitives.Subtract(local, global, update);

    /// <summary>Accumulates the full-data gradient into the model's gradient vector (mean over the client's samples); returns the mean loss.</summary>
    public static ClientResult FullGradient(ClientContext c)
    {
        var worker = c.Worker;
        var model = worker.Model;
        c.Global.Span.CopyTo(model.Parameters);
        c.GlobalBuffers.Span.CopyTo(model.Buffers);
        model.ZeroGrad();
        var indices = c.TrainIndices;
        int n = indices.Length, chunk = c.Work.BatchSize, sampleSize = model.SampleShape.Size;
        worker.Train.Tape.Random = RandomStream.Create(c.Seed, RandomStream.Purpose("dropout"), c.Round, c.Client);
        double lossSum = 0;
        for (int start = 0; start < n; start += chunk)
        {
            int size = Math.Min(chunk, n - start);
            c.Data.Train.CopySamples(indices.AsSpan(start, size), worker.BatchInputs, worker.BatchLabels);
            var logits = worker.Train.Forward(worker.BatchInputs.AsSpan(0, size * sampleSize), size, training: true);
            var tape = worker.Train.Tape;
            var loss = NN.Ops.LossOps.CrossEntropy(tape, logits, worker.BatchLabels.AsSpan(0, size));
            lossSum += loss.Data[0] * size;
            // The chunk's mean loss, weighted by its share of the client's samples.
            loss.Grad[0] = (float)size / n;
            tape.BackwardFrom();
        }
        return new ClientResult(n, n == 0 ? 0 : lossSum / n, 1);
    }
}
