using System.Globalization;

namespace Cohort.Federated.State;

/// <summary>
/// Keeps client vectors in memory up to a byte budget; beyond it, the least recently used are written
/// to a memory-mapped spill file in a folder (<see cref="SpillFile"/>) and read back on demand. Each
/// (client, name) keeps its slot in the file, so spilling it again overwrites in place. Safe for
/// concurrent use by workers: one lock guards the index, and copies to and from the mapping are made under it.
/// </summary>
internal sealed class SpillingStateStore : IClientStateStore, IDisposable
{
    private readonly long _budget;
    private readonly string _folder;
    private readonly string _spillPath;
    private readonly bool _ownsFolder;
    private readonly object _gate = new();
    private readonly Dictionary<(int Client, string Name), LinkedListNode<Entry>> _memory = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly HashSet<(int Client, string Name)> _onDisk = [];
    private readonly Dictionary<(int Client, string Name), (long Offset, int Count)> _slots = [];
    private SpillFile? _file;
    private long _bytes;
    private long _peakBytes;
    // Where the store's contents were restored from (null: written by this run), for the errors of a saved vector that does not fit.
    private string? _origin;

    public SpillingStateStore(long budgetBytes, string? folder = null)
    {
        _budget = budgetBytes;
        _folder = folder ?? Path.Combine(Path.GetTempPath(), "cohort-state-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        // A folder the user names may hold other files: only the spill file, and the folder if this store made it, are removed.
        _ownsFolder = !Directory.Exists(_folder);
        _spillPath = Path.Combine(_folder, $"cohort-state-{Guid.NewGuid():N}.f32");
    }

    public long BudgetBytes => _budget;

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

    /// <summary>The most bytes of vectors held in memory at once, once each write's spilling is done: at most the budget, unless one vector alone exceeds it.</summary>
    public long PeakBytesInMemory
    {
        get
        {
            lock (_gate)
            {
                return _peakBytes;
            }
        }
    }

    /// <summary>Bytes written to the spill file and read back from it.</summary>
    public (long Written, long Read) SpillTraffic
    {
        get
        {
            lock (_gate)
            {
                return (_file?.BytesWritten ?? 0, _file?.BytesRead ?? 0);
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

    /// <summary>The spill file's size on disk (0 before anything spilled).</summary>
    public long SpillFileBytes
    {
        get
        {
            lock (_gate)
            {
                return _file?.Capacity ?? 0;
            }
        }
    }

    /// <summary>Bytes of the spill file given out to slots: it stays put when the same vectors are spilled again.</summary>
    public long SpillSlotBytes
    {
        get
        {
            lock (_gate)
            {
                return _file?.Used ?? 0;
            }
        }
    }

    public bool TryRead(int client, ClientVector vector, Span<float> destination)
    {
        string name = vector.Name;
        lock (_gate)
        {
            if (_memory.TryGetValue((client, name), out var node))
            {
                Check(node.Value.Values.Length, destination.Length, client, vector);
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
            Check(count, destination.Length, client, vector);
            _file!.Read(offset, destination);
            return true;
        }
    }

    public void Write(int client, ClientVector vector, ReadOnlySpan<float> value)
    {
        lock (_gate)
        {
            Put(client, vector.Name, value);
        }
    }

    /// <summary>Stores a vector by the name saved stores file it under (under the lock).</summary>
    private void Put(int client, string name, ReadOnlySpan<float> value)
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
        // Room is made first, so the array of a vector spilled for this one holds it: spilling allocates
        // nothing once the budget is full, and no garbage of discarded arrays builds up beside it.
        float[]? spare = null;
        while (_bytes + 4L * value.Length > _budget && _recency.Last is { } oldest)
        {
            spare = Spill(oldest);
        }
        var values = spare?.Length == value.Length ? spare : new float[value.Length];
        value.CopyTo(values);
        _memory[key] = _recency.AddFirst(new Entry(client, name, values));
        _bytes += 4L * value.Length;
        _peakBytes = Math.Max(_peakBytes, _bytes);
    }

    /// <summary>Where the vectors lived, once any spilled: the peak held in memory against the budget, and the spill file's traffic.</summary>
    public IEnumerable<(string Key, string Value)> Statements()
    {
        lock (_gate)
        {
            if (_file is null)
            {
                return [];
            }
            return [("client_state", string.Create(CultureInfo.InvariantCulture,
                $"at most {_peakBytes:N0} bytes in memory (client_state.memory_mb {_budget >> 20}), {_onDisk.Count:N0} vectors on disk, {_file.BytesWritten:N0} bytes written to the spill file and {_file.BytesRead:N0} read back"))];
        }
    }

    public void Save(Stream destination)
    {
        lock (_gate)
        {
            var keys = _memory.Keys.Concat(_onDisk).Order(EntryOrder.Instance).ToList();
            ClientStateFile.Write(destination, keys.Select(k => (k.Client, k.Name, Length(k))).ToList(), (k, buffer) => Copy(k, buffer));
        }
    }

    public void Restore(Stream source, string origin)
    {
        lock (_gate)
        {
            ClientStateFile.Read(source, origin, () =>
            {
                Clear();
                _origin = origin;
            }, (client, name, values) => Put(client, name, values));
        }
    }

    public void Dispose()
    {
        lock (_gate)
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
    }

    private int Length((int Client, string Name) key) =>
        _memory.TryGetValue(key, out var node) ? node.Value.Values.Length : _slots[key].Count;

    private void Copy((int Client, string Name) key, Span<float> destination)
    {
        if (_memory.TryGetValue(key, out var node))
        {
            node.Value.Values.CopyTo(destination);
        }
        else
        {
            _file!.Read(_slots[key].Offset, destination);
        }
    }

    /// <summary>Forgets every vector; the spill file's slots are kept for reuse.</summary>
    private void Clear()
    {
        foreach (var (offset, count) in _slots.Values)
        {
            _file!.Free(offset, count);
        }
        _slots.Clear();
        _onDisk.Clear();
        _memory.Clear();
        _recency.Clear();
        _bytes = 0;
    }

    /// <summary>Writes the vector to its slot and drops it from memory; returns its array, free for reuse.</summary>
    private float[] Spill(LinkedListNode<Entry> node)
    {
        if (_file is null)
        {
            Directory.CreateDirectory(_folder);
            _file = new SpillFile(_spillPath);
        }
        var e = node.Value;
        var key = (e.Client, e.Name);
        bool hasSlot = _slots.TryGetValue(key, out var slot);
        if (hasSlot && slot.Count != e.Values.Length)
        {
            // The vector changed length: its old slot goes to the next vector of that length.
            _file.Free(slot.Offset, slot.Count);
            hasSlot = false;
        }
        if (!hasSlot)
        {
            slot = (_file.Allocate(e.Values.Length), e.Values.Length);
            _slots[key] = slot;
        }
        _file.Write(slot.Offset, e.Values);
        _onDisk.Add(key);
        Remove(node);
        return e.Values;
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _memory.Remove((node.Value.Client, node.Value.Name));
        _bytes -= 4L * node.Value.Values.Length;
    }

    /// <summary>
    /// A stored vector must have the length its declaring component reads it with. A saved store is checked
    /// here, when the component first reads a client's vector: only then are the vector's owner and length known.
    /// </summary>
    private void Check(int stored, int requested, int client, ClientVector vector)
    {
        if (stored == requested)
        {
            return;
        }
        string where = _origin is null ? "" : $" restored from {_origin}";
        throw new InvalidDataException($"Client {client}'s vector {vector}{where} holds {stored} values, but {vector.Owner} declares {requested}: the saved state is not this run's.");
    }

    private sealed record Entry(int Client, string Name, float[] Values);

    /// <summary>By client, then name (ordinal): a saved store's entries in one order whatever their history.</summary>
    private sealed class EntryOrder : IComparer<(int Client, string Name)>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare((int Client, string Name) x, (int Client, string Name) y) =>
            x.Client != y.Client ? x.Client.CompareTo(y.Client) : string.CompareOrdinal(x.Name, y.Name);
    }
}
