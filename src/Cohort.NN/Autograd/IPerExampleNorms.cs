namespace Cohort.NN.Autograd;

/// <summary>
/// An operation that splits the gradient of the parameters it uses by example: after a backward
/// pass it gives each example's squared gradient norm from what its forward saved and its output's
/// gradient, without running examples one at a time (DP-SGD's per-example clipping).
/// </summary>
internal interface IPerExampleNorms
{
    /// <summary>
    /// Adds to <paramref name="squaredNorms"/>[i] (one entry per example; the batch is the first
    /// dimension) the squared norm of example i's gradient of each input whose gradient lives in
    /// <paramref name="parameterGradients"/>. False when such an input is one it cannot split.
    /// </summary>
    bool AddSquaredNorms(Tape tape, in Node node, float[] parameterGradients, Span<double> squaredNorms);
}
