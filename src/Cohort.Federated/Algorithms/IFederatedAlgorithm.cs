namespace Cohort.Federated.Algorithms;

/// <summary>
/// A federated method: the client half (what a client does with its data, its state and the broadcast)
/// and the server half (what the server does with the aggregate). State lives in <see cref="ServerState"/>
/// and the client state store, never in hidden fields, so the same method runs in-process or remote.
/// </summary>
public interface IFederatedAlgorithm
{
    string Name { get; }

    void InitializeServer(ServerState server);

    /// <summary>Computes the client's update into <c>context.Worker.Update</c>.</summary>
    ClientResult RunClient(ClientContext context);

    /// <summary>Applies the aggregate of the clients' updates (after the stages' server hooks).</summary>
    void ApplyAggregate(ServerState server, ReadOnlySpan<float> aggregate);
}
