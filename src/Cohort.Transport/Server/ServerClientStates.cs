using Cohort.Federated.State;

namespace Cohort.Transport.Server;

/// <summary>
/// Per-client vectors the server itself keeps (a lazy client's last update of each exchange): what
/// the server needs to rebuild a client's update from its message. Writes of the open round are held
/// apart and become the state only when the round completes, so a round redone after a restart starts
/// from the state it first started from; the state is saved with the server checkpoint.
/// </summary>
internal sealed class ServerClientStates : IClientStateStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(int Client, string Name), float[]> _committed = [];
    private readonly Dictionary<(int Client, string Name), float[]> _round = [];
    // Vectors a completed round replaced, reused by the next round's writes: no model-sized allocation per upload.
    private readonly Stack<float[]> _spare = new();

    public long BytesInMemory
    {
        get
        {
            lock (_gate)
            {
                return 4L * (_committed.Values.Sum(v => (long)v.Length) + _round.Values.Sum(v => (long)v.Length));
            }
        }
    }

    public bool TryRead(int client, ClientVector vector, Span<float> destination)
    {
        string name = vector.Name;
        lock (_gate)
        {
            if (!_round.TryGetValue((client, name), out var value) && !_committed.TryGetValue((client, name), out value))
            {
                return false;
            }
            value.CopyTo(destination);
            return true;
        }
    }

    public void Write(int client, ClientVector vector, ReadOnlySpan<float> value)
    {
        string name = vector.Name;
        lock (_gate)
        {
            if (!_round.TryGetValue((client, name), out var held) || held.Length != value.Length)
            {
                held = _spare.TryPeek(out var spare) && spare.Length == value.Length ? _spare.Pop() : new float[value.Length];
                _round[(client, name)] = held;
            }
            value.CopyTo(held);
        }
    }

    /// <summary>The open round completed: its writes become the state.</summary>
    public void CompleteRound()
    {
        lock (_gate)
        {
            foreach (var (key, value) in _round)
            {
                if (_committed.TryGetValue(key, out var replaced))
                {
                    _spare.Push(replaced);
                }
                _committed[key] = value;
            }
            _round.Clear();
        }
    }

    /// <summary>Writes the completed rounds' state (not the open round's), in (client, name) order, as a <see cref="ClientStateFile"/>.</summary>
    public void Save(Stream destination)
    {
        lock (_gate)
        {
            var entries = _committed.OrderBy(e => e.Key.Client).ThenBy(e => e.Key.Name, StringComparer.Ordinal)
                .Select(e => (e.Key.Client, e.Key.Name, e.Value.Length)).ToList();
            ClientStateFile.Write(destination, entries, (key, values) => _committed[key].CopyTo(values));
        }
    }

    /// <summary>Replaces the state by a saved one (checked whole first: a damaged one changes nothing); the open round's writes are dropped.</summary>
    public void Restore(Stream source, string origin)
    {
        lock (_gate)
        {
            ClientStateFile.Read(source, origin, () =>
            {
                _committed.Clear();
                _round.Clear();
            }, (client, name, values) => _committed[(client, name)] = values.ToArray());
        }
    }
}
