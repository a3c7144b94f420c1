using Cohort.Federated.Config;
using Cohort.Federated.Data;
using Cohort.Federated.Engine;
using Cohort.Federated.State;

namespace Cohort.Federated.Algorithms;

/// <summary>What one client's local work is given: its worker, its data, the broadcast model and its identity for random streams.</summary>
public sealed record ClientContext(
    Worker Worker,
    FederatedData Data,
    int Client,
    int[] TrainIndices,
    int Round,
    ulong Seed,
    LocalWork Work,
    ReadOnlyMemory<float> Global,
    ReadOnlyMemory<float> GlobalBuffers,
    IClientStateStore States);

/// <summary>What a client reports besides its update: its weight (samples) and its training loss.</summary>
public readonly record struct ClientResult(int Samples, double LossSum, int Batches)
{
    public double MeanLoss => Batches == 0 ? 0 : LossSum / Batches;

    /// <summary>The bytes of the message, when the method encodes it itself (DIANA, MARINA); null: the uplink stages encode it.</summary>
    public long? MessageBytes { get; init; }
}
