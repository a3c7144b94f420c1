using System.Numerics.Tensors;

namespace Cohort.Federated.Stages;

/// <summary>
/// Refuses a received update holding a value that is not finite (NaN, ±∞): one bad client must not end
/// the run. The round loop places it after the experiment's stages, so its per-update hook runs before
/// theirs; what it refuses is counted in <c>rejected_updates</c>.
/// </summary>
internal sealed class FiniteUpdates : IUpdateStage
{
    public static FiniteUpdates Instance { get; } = new();

    public string Name => "finite";

    public bool OnReceived(StageContext context, Span<float> update) => TensorPrimitives.IsFiniteAll(update);
}
