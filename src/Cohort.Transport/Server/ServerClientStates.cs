using System.Runtime.InteropServices;
using Cohort.Federated.State;

namespace Cohort.Transport.Server;

/// <summary>
/// Per-client vectors the server itself keeps (EF21's estimate gᵢ, a lazy client's last update): what
/// the server needs to rebuild a client's update from its message. Writes of the open round are held
/// apart and become the state only when the round completes, so a round redone after a restart starts
/// from the state it first started from; the state is saved with the server checkpoint.
/// </summary>
public sealed class ServerClientStates : IClientStateStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(int Client, string Name), float[]> _committed = [];
    private readonly Dictionary<(int Client, string Name), float[]> _round = [];

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

    public bool TryRead(int client, string name, Span<float> destination)
    {
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

    public void Write(int client, string name, ReadOnlySpan<float> value)
    {
        lock (_gate)
        {
            _round[(client, name)] = value.ToArray();
        }
    }

    /// <summary>The open round completed: its writes become the state.</summary>
    public void CompleteRound()
    {
        lock (_gate)
        {
            foreach (var (key, value) in _round)
            {
                _committed[key] = value;
            }
            _round.Clear();
        }
    }

    /// <summary>Writes the completed rounds' state (not the open round's), in (client, name) order.</summary>
    public void Save(BinaryWriter writer)
    {
        lock (_gate)
        {
            writer.Write(_committed.Count);
            foreach (var ((client, name), value) in _committed.OrderBy(e => e.Key.Client).ThenBy(e => e.Key.Name, StringComparer.Ordinal))
            {
                writer.Write(client);
                writer.Write(name);
                writer.Write(value.Length);
                writer.Write(MemoryMarshal.AsBytes(value.AsSpan()));
            }
        }
    }

    /// <summary>Replaces the state by a saved one; the open round's writes are dropped.</summary>
    public void Restore(BinaryReader reader)
    {
        lock (_gate)
        {
            _committed.Clear();
            _round.Clear();
            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                int client = reader.ReadInt32();
                string name = reader.ReadString();
                var value = new float[reader.ReadInt32()];
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(value.AsSpan()));
                _committed[(client, name)] = value;
            }
        }
    }
}
