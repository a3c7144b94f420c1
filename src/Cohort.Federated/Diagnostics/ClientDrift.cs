using Cohort.Federated.Algorithms;

namespace Cohort.Federated.Diagnostics;

/// <summary>
/// What a client reports with its update for the round's drift (<see cref="DriftMeter"/>): its local model
/// yᵢ and the norm of its update as the method made it, the two things only the client has (the server
/// receives the update after the client stages, and never the local model).
/// </summary>
/// <param name="Local">The client's local model after its work (in the client's buffers, valid while its update is taken).</param>
/// <param name="UpdateNorm">‖uᵢ‖ of the update before the client stages.</param>
internal readonly record struct ClientDrift(ReadOnlyMemory<float> Local, double UpdateNorm)
{
    /// <summary>Name of the client's buffers vector the local model is copied into (and of the uplink vector a deployed client sends it as).</summary>
    public const string LocalName = "diagnostics.local";

    /// <summary>Name of the uplink scalar a deployed client sends its update's norm as.</summary>
    public const string UpdateNormName = "diagnostics.update_norm";

    /// <summary>Measures a client after its local work: a copy of its model and the norm of its update.</summary>
    public static ClientDrift Measure(ReadOnlySpan<float> local, ClientBuffers buffers)
    {
        var copy = buffers.Vector(LocalName);
        local.CopyTo(copy);
        return new ClientDrift(copy, Math.Sqrt(VectorOps.SquaredNorm(buffers.Update)));
    }
}
