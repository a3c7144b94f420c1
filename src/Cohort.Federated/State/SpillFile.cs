using System.IO.MemoryMappedFiles;

namespace Cohort.Federated.State;

/// <summary>
/// A memory-mapped file of float slots. Space grows in large steps (the file is extended and mapped
/// again), and a slot freed by a vector of another length is reused by the next vector of its length,
/// so rewriting the same clients keeps the file's size. Not thread-safe: its owner serializes calls.
/// </summary>
internal sealed class SpillFile : IDisposable
{
    /// <summary>The least the file grows by: remapping is rare, and space not yet written stays sparse on disk.</summary>
    private const long MinimumGrowth = 16L << 20;

    /// <summary>The most it grows by at once, so a large file does not double.</summary>
    private const long MaximumGrowth = 1L << 30;

    private readonly FileStream _stream;
    private readonly Dictionary<int, Stack<long>> _free = [];
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private long _used;

    public SpillFile(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
    }

    public string Path { get; }

    /// <summary>The file's size on disk (its mapped capacity).</summary>
    public long Capacity { get; private set; }

    /// <summary>Bytes of the file given out to slots, freed ones included.</summary>
    public long Used => _used;

    /// <summary>A slot for <paramref name="count"/> floats: a freed one of that length, or new space at the end.</summary>
    public long Allocate(int count)
    {
        if (_free.TryGetValue(count, out var freed) && freed.Count > 0)
        {
            return freed.Pop();
        }
        long offset = _used;
        long end = offset + 4L * count;
        if (end > Capacity)
        {
            Grow(end);
        }
        _used = end;
        return offset;
    }

    /// <summary>Gives a slot back for the next vector of the same length.</summary>
    public void Free(long offset, int count)
    {
        if (!_free.TryGetValue(count, out var freed))
        {
            _free[count] = freed = new Stack<long>();
        }
        freed.Push(offset);
    }

    public void Write(long offset, ReadOnlySpan<float> values) =>
        _view!.SafeMemoryMappedViewHandle.WriteSpan((ulong)(_view.PointerOffset + offset), values);

    public void Read(long offset, Span<float> destination) =>
        _view!.SafeMemoryMappedViewHandle.ReadSpan((ulong)(_view.PointerOffset + offset), destination);

    private void Grow(long required)
    {
        long step = Math.Clamp(Capacity, MinimumGrowth, MaximumGrowth);
        long capacity = Math.Max(required, Capacity + step);
        // Whole mebibytes, so the mapping's length is a multiple of any page size.
        capacity = (capacity + (1L << 20) - 1) & ~((1L << 20) - 1);
        Unmap();
        _stream.SetLength(capacity);
        // Written pages reach the file through the old mapping; the new one sees them.
        _map = MemoryMappedFile.CreateFromFile(_stream, mapName: null, capacity, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        _view = _map.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite);
        Capacity = capacity;
    }

    private void Unmap()
    {
        _view?.Dispose();
        _map?.Dispose();
        _view = null;
        _map = null;
    }

    public void Dispose()
    {
        Unmap();
        _stream.Dispose();
    }
}
