using Cohort.Federated.Algorithms;

namespace Cohort.Federated.State;

/// <summary>
/// A stage's server state, declared on the server the first time a hook asks for it (with its starting
/// values, or those a checkpoint restored), and held for that server; safe to ask from the per-update
/// hooks' threads at once.
/// </summary>
internal sealed class StageServerState(StateDeclaration declaration, Action<StateRecord>? initialize = null)
{
    private readonly object _gate = new();
    private StateRecord? _record;
    private ServerState? _server;

    /// <summary>The record on <paramref name="server"/>.</summary>
    public StateRecord On(ServerState server)
    {
        lock (_gate)
        {
            if (_record is null || !ReferenceEquals(_server, server))
            {
                _record = server.Declare(declaration, initialize);
                _server = server;
            }
            return _record;
        }
    }

    /// <summary>The record last asked for (null before any hook asked).</summary>
    public StateRecord? Current
    {
        get
        {
            lock (_gate)
            {
                return _record;
            }
        }
    }
}
