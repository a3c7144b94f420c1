using Cohort.NN.Optimizers;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// A client's loss on its own data, as methods see it: the local model y (a flat vector stepped in
/// place), and gradients of the loss at y on the round's next mini-batch, on that same mini-batch at
/// another point, or on all the client's data. Neural models and the quadratics of the tests both
/// implement it, so every method runs the same code on either.
/// </summary>
public interface ILocalObjective
{
    /// <summary>The local model y.</summary>
    Span<float> Parameters { get; }

    /// <summary>Where <see cref="NextBatch"/> and <see cref="FullGradient"/> write the gradient.</summary>
    Span<float> Gradients { get; }

    /// <summary>The client's training samples.</summary>
    int Samples { get; }

    /// <summary>Samples per mini-batch.</summary>
    int BatchSize { get; }

    /// <summary>Sets y to the broadcast model (and resets any non-trainable state to the broadcast's).</summary>
    void Load(ReadOnlySpan<float> parameters);

    /// <summary>Draws the round's next mini-batch and writes its mean-loss gradient at y; returns that loss.</summary>
    float NextBatch();

    /// <summary>Passes over the round's next <paramref name="count"/> mini-batches without their gradients: the next <see cref="NextBatch"/> draws the batch after them.</summary>
    void SkipBatches(int count)
    {
        for (int i = 0; i < count; i++)
        {
            NextBatch();
        }
    }

    /// <summary>
    /// <see cref="NextBatch"/> followed by the optimizer's step on y. An objective may take the step in
    /// a faster way that leaves the same y (a neural model lets plain SGD update its weights during the
    /// backward pass); <see cref="Gradients"/> is then undefined until the next gradient is written.
    /// </summary>
    float NextBatchStep(IOptimizer optimizer)
    {
        float loss = NextBatch();
        optimizer.Step(Parameters, Gradients);
        return loss;
    }

    /// <summary>The last mini-batch's gradient at <paramref name="point"/>, into <paramref name="gradient"/>; y and <see cref="Gradients"/> are left as they were.</summary>
    void BatchGradientAt(ReadOnlySpan<float> point, Span<float> gradient);

    /// <summary>Writes the gradient of the mean loss over all the client's samples at y; returns that loss.</summary>
    double FullGradient();

    /// <summary>The mean loss over all the client's samples at y, without gradients (the model in evaluation mode).</summary>
    double FullLoss();
}
