namespace Cohort.NN.Optimizers;

/// <summary>
/// An optimizer over a flat parameter vector and a gradient vector of the same layout. Its state
/// (momenta, second moments) is flat too, so a client or a server can hold, save and reset it.
/// </summary>
public interface IOptimizer
{
    /// <summary>The learning rate of the next step (set by a schedule).</summary>
    float LearningRate { get; set; }

    /// <summary>Steps taken since creation or <see cref="Reset"/>; bias corrections read it.</summary>
    int StepCount { get; set; }

    /// <summary>
    /// The state vectors, each as long as the parameters, in a fixed order documented by each
    /// optimizer; empty before the first step or <see cref="Initialize"/>. Write them in place
    /// (with <see cref="StepCount"/>) to restore a saved state.
    /// </summary>
    IReadOnlyList<float[]> State { get; }

    /// <summary>Allocates fresh state for <paramref name="length"/> parameters (the first step does it too).</summary>
    void Initialize(int length);

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradients"/>.</summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);

    /// <summary>Forgets all state, as if newly created; keeps the allocated buffers.</summary>
    void Reset();
}
