using Cohort.Federated.Config;
using Cohort.Federated.State;
using Cohort.NN.Optimizers;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// What one client's work is given: its loss over its data, its local optimizer and buffers, its
/// identity for random streams and state, its local steps this round, and what the server broadcast
/// (the model and the vectors the method's downlink names).
/// </summary>
public sealed record ClientContext(
    ILocalObjective Objective,
    IOptimizer Optimizer,
    ClientBuffers Buffers,
    int Client,
    int Round,
    int Exchange,
    ulong Seed,
    LocalWork Work,
    long Steps,
    ReadOnlyMemory<float> Global,
    IReadOnlyDictionary<string, float[]> Received,
    IClientStateStore States)
{
    /// <summary>The model part the client keeps for itself, when the method keeps one (its ranges in the flat parameters).</summary>
    internal Personal.PersonalParameters? Personal { get; init; }

    /// <summary>The round's clients' gradients at any point, for a method that asks for them (null: the run cannot give them).</summary>
    internal ICollaboratorGradients? Collaborators { get; init; }

    /// <summary>A vector the server broadcast this exchange (the client reads it, never writes it).</summary>
    public float[] Broadcast(string name) =>
        Received.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"The server did not broadcast '{name}'.");
}

/// <summary>What a client reports besides its update: its weight (samples) and its training loss.</summary>
public readonly record struct ClientResult(int Samples, double LossSum, int Batches)
{
    public double MeanLoss => Batches == 0 ? 0 : LossSum / Batches;

    /// <summary>The bytes of the message, when the method encodes it itself (DIANA, MARINA); null: the uplink stages encode it.</summary>
    public long? MessageBytes { get; init; }
}
