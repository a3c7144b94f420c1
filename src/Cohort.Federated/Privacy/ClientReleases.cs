using Cohort.Federated.Algorithms;
using Cohort.Federated.State;

namespace Cohort.Federated.Privacy;

/// <summary>
/// How many updates each client has released, counted by the server as it receives them: the composition
/// count of a guarantee kept per client (local DP, DP-SGD). Server state, so a checkpoint keeps it; each
/// client sends once an exchange, so no two threads count for the same client.
/// </summary>
internal sealed class ClientReleases(string owner, int clients)
{
    private readonly string _vector = owner + ".releases";
    private readonly StageServerState _state = new(new StateDeclaration(owner).Vector(owner + ".releases", clients));

    public void Count(ServerState server, int client) => _state.On(server).Vector(_vector)[client]++;

    /// <summary>Each client's count on <paramref name="server"/>.</summary>
    public float[] On(ServerState server) => _state.On(server).Vector(_vector);

    /// <summary>The counts last asked for (null before the server's first hook).</summary>
    public float[]? Current => _state.Current?.Vector(_vector);

    /// <summary>The largest count.</summary>
    public static long Most(ReadOnlySpan<float> releases) => releases.Length == 0 ? 0 : (long)System.Numerics.Tensors.TensorPrimitives.Max(releases);
}
