namespace Cohort.NN.Optimizers;

/// <summary>
/// An optimizer over a flat parameter vector and a gradient vector of the same layout. Its state
/// (momenta, second moments) is flat too, so a client or a server can hold and reset it.
/// </summary>
public interface IOptimizer
{
    /// <summary>The learning rate of the next step (set by a schedule).</summary>
    float LearningRate { get; set; }

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradients"/>.</summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);

    /// <summary>Forgets all state, as if newly created.</summary>
    void Reset();
}
