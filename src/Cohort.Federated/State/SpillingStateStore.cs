using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cohort.Federated.State;

/// <summary>
/// Keeps client vectors in memory up to a byte budget; beyond it, the least recently used are written
/// to one spill file in a folder and read back on demand. Each (client, name) keeps its slot in the
/// file, so spilling it again overwrites in place. Safe for concurrent use by workers.
/// </summary>
public sealed class SpillingStateStore : IClientStateStore, IDisposable
{
    private readonly long _budget;
    private readonly string _folder;
    private readonly string _spillPath;
    private readonly bool _ownsFolder;
    private readonly object _gate = new();
    private readonly Dictionary<(int, string), LinkedListNode<Entry>> _memory = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly HashSet<(int, string)> _onDisk = [];
    private readonly Dictionary<(int, string), (long Offset, int Count)> _slots = [];
    private SafeFileHandle? _file;
    private long _fileLength;
    private long _bytes;

    public SpillingStateStore(long budgetBytes, string? folder = null)
    {
        _budget = budgetBytes;
        _folder = folder ?? Path.Combine(Path.GetTempPath(), "cohort-state-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        // A folder the user names may hold other files: only the spill file, and the folder if this store made it, are removed.
        _ownsFolder = !Directory.Exists(_folder);
        _spillPath = Path.Combine(_folder, $"cohort-state-{Guid.NewGuid():N}.f32");
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
            var (offset, count) = _slots[(client, name)];
            Check(count, destination.Length, client, name);
            RandomAccess.Read(_file!, MemoryMarshal.AsBytes(destination), offset);
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
        if (_file is null)
        {
            return;
        }
        _file.Dispose();
        _file = null;
        File.Delete(_spillPath);
        if (_ownsFolder && Directory.Exists(_folder) && !Directory.EnumerateFileSystemEntries(_folder).Any())
        {
            Directory.Delete(_folder);
        }
    }

    private void Spill(LinkedListNode<Entry> node)
    {
        if (_file is null)
        {
            Directory.CreateDirectory(_folder);
            _file = File.OpenHandle(_spillPath, FileMode.CreateNew, FileAccess.ReadWrite);
        }
        var e = node.Value;
        var key = (e.Client, e.Name);
        if (!_slots.TryGetValue(key, out var slot) || slot.Count != e.Values.Length)
        {
            slot = (_fileLength, e.Values.Length);
            _fileLength += 4L * e.Values.Length;
            _slots[key] = slot;
        }
        RandomAccess.Write(_file, MemoryMarshal.AsBytes(e.Values.AsSpan()), slot.Offset);
        _onDisk.Add(key);
        Remove(node);
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _memory.Remove((node.Value.Client, node.Value.Name));
        _bytes -= 4L * node.Value.Values.Length;
    }

    private static void Check(int stored, int requested, int client, string name)
    {
        if (stored != requested)
        {
            throw new InvalidOperationException($"Client {client}'s state '{name}' holds {stored} values, not {requested}.");
        }
    }

    private sealed record Entry(int Client, string Name, float[] Values);
}
