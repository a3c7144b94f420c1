using System.Runtime.InteropServices;

namespace Cohort.Federated.State;

/// <summary>
/// Keeps client vectors in memory up to a byte budget; beyond it, the least recently used are written
/// to files in a folder and read back on demand. Safe for concurrent use by workers.
/// </summary>
public sealed class SpillingStateStore : IClientStateStore, IDisposable
{
    private readonly long _budget;
    private readonly string _folder;
    private readonly object _gate = new();
    private readonly Dictionary<(int, string), LinkedListNode<Entry>> _memory = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly HashSet<(int, string)> _onDisk = [];
    private long _bytes;

    public SpillingStateStore(long budgetBytes, string? folder = null)
    {
        _budget = budgetBytes;
        _folder = folder ?? Path.Combine(Path.GetTempPath(), "cohort-state-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
    }

    public long BytesInMemory
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public int SpilledCount
    {
        get
        {
            lock (_gate)
            {
                return _onDisk.Count;
            }
        }
    }

    public bool TryRead(int client, string name, Span<float> destination)
    {
        lock (_gate)
        {
            if (_memory.TryGetValue((client, name), out var node))
            {
                Check(node.Value.Values.Length, destination.Length, client, name);
                node.Value.Values.CopyTo(destination);
                _recency.Remove(node);
                _recency.AddFirst(node);
                return true;
            }
            if (!_onDisk.Contains((client, name)))
            {
                return false;
            }
            byte[] bytes = File.ReadAllBytes(PathOf(client, name));
            Check(bytes.Length / 4, destination.Length, client, name);
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
            return true;
        }
    }

    public void Write(int client, string name, ReadOnlySpan<float> value)
    {
        lock (_gate)
        {
            var key = (client, name);
            if (_memory.TryGetValue(key, out var node))
            {
                if (node.Value.Values.Length == value.Length)
                {
                    value.CopyTo(node.Value.Values);
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    return;
                }
                Remove(node);
            }
            _onDisk.Remove(key);
            var entry = new Entry(client, name, value.ToArray());
            _memory[key] = _recency.AddFirst(entry);
            _bytes += 4L * value.Length;
            while (_bytes > _budget && _recency.Last is { } oldest && oldest != _recency.First)
            {
                Spill(oldest);
            }
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private void Spill(LinkedListNode<Entry> node)
    {
        Directory.CreateDirectory(_folder);
        var e = node.Value;
        File.WriteAllBytes(PathOf(e.Client, e.Name), MemoryMarshal.AsBytes(e.Values.AsSpan()).ToArray());
        _onDisk.Add((e.Client, e.Name));
        Remove(node);
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _memory.Remove((node.Value.Client, node.Value.Name));
        _bytes -= 4L * node.Value.Values.Length;
    }

    private string PathOf(int client, string name) => Path.Combine(_folder, $"{client}.{Uri.EscapeDataString(name)}.f32");

    private static void Check(int stored, int requested, int client, string name)
    {
        if (stored != requested)
        {
            throw new InvalidOperationException($"Client {client}'s state '{name}' holds {stored} values, not {requested}.");
        }
    }

    private sealed record Entry(int Client, string Name, float[] Values);
}
