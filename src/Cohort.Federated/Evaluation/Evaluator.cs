using Cohort.Data;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Evaluation;

/// <summary>
/// Scores a model on every test sample once (correct or not, and its cross-entropy), in fixed chunks
/// spread over the workers; global and per-client figures are then sums over those per-sample arrays,
/// so they do not depend on which worker scored which chunk.
/// </summary>
internal sealed class Evaluator
{
    private readonly IWorkerPool _executor;
    private readonly Dataset _test;
    private readonly bool[] _correct;
    private readonly float[] _loss;

    public Evaluator(IWorkerPool executor, Dataset test)
    {
        _executor = executor;
        _test = test;
        _correct = new bool[test.Count];
        _loss = new float[test.Count];
    }

    private long _version;

    /// <summary>Scores the given parameters on the whole test set.</summary>
    public void Score(ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> buffers)
    {
        int chunks = (_test.Count + Worker.EvalBatch - 1) / Worker.EvalBatch;
        long version = Interlocked.Increment(ref _version);
        _executor.ForEach(chunks, (worker, chunk) =>
        {
            int start = chunk * Worker.EvalBatch;
            int size = Math.Min(Worker.EvalBatch, _test.Count - start);
            // Load the model once per worker per scoring pass.
            if (worker.LoadedVersion != (this, version))
            {
                parameters.Span.CopyTo(worker.Model.Parameters);
                buffers.Span.CopyTo(worker.Model.Buffers);
                worker.LoadedVersion = (this, version);
            }
            ScoreRange(worker, _test, start, size, _correct, _loss);
        });
    }

    /// <summary>Scores a range of samples with the worker's current model into per-sample arrays.</summary>
    public static void ScoreRange(Worker worker, Dataset data, int start, int size, Span<bool> correct, Span<float> loss)
    {
        var indices = worker.Order(size).AsSpan(0, size);
        for (int i = 0; i < size; i++)
        {
            indices[i] = start + i;
        }
        ScoreIndices(worker, data, indices, correct.Slice(start, size), loss.Slice(start, size));
    }

    /// <summary>Scores the given samples (at most one evaluation batch) with the worker's current model.</summary>
    public static void ScoreIndices(Worker worker, Dataset data, ReadOnlySpan<int> indices, Span<bool> correct, Span<float> loss)
    {
        int size = indices.Length, classes = data.Classes, sampleSize = data.SampleSize;
        data.CopySamples(indices, worker.BatchInputs, worker.BatchLabels);
        var logits = worker.Eval.Forward(worker.BatchInputs.AsSpan(0, size * sampleSize), size, training: false).Data;
        for (int i = 0; i < size; i++)
        {
            var row = logits.Slice(i * classes, classes);
            int label = worker.BatchLabels[i], best = 0;
            float max = row[0];
            for (int j = 1; j < classes; j++)
            {
                if (row[j] > max)
                {
                    max = row[j];
                    best = j;
                }
            }
            double sum = 0;
            for (int j = 0; j < classes; j++)
            {
                sum += Math.Exp(row[j] - max);
            }
            correct[i] = best == label;
            loss[i] = (float)(max + Math.Log(sum) - row[label]);
        }
    }

    /// <summary>Accuracy and mean loss over all test samples.</summary>
    public (double Accuracy, double Loss) Overall() => Over(null);

    /// <summary>Accuracy and mean loss over some test samples (a client's split).</summary>
    public (double Accuracy, double Loss) Over(int[]? indices)
    {
        int count = indices?.Length ?? _test.Count;
        if (count == 0)
        {
            return (double.NaN, double.NaN);
        }
        long correct = 0;
        double loss = 0;
        for (int i = 0; i < count; i++)
        {
            int j = indices is null ? i : indices[i];
            correct += _correct[j] ? 1 : 0;
            loss += _loss[j];
        }
        return ((double)correct / count, loss / count);
    }
}
