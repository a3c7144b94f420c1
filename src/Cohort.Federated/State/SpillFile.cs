using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cohort.Federated.State;

/// <summary>
/// A file of float slots, read and written at offsets. Space grows in large steps (the file is extended,
/// sparse until written), and a slot freed by a vector of another length is reused by the next vector of its length,
/// so rewriting the same clients keeps the file's size. Not mapped into memory: spilled vectors stay in the
/// kernel's page cache, which it reclaims under pressure, and never count in the process's resident memory.
/// Not thread-safe: its owner serializes calls.
/// </summary>
internal sealed class SpillFile : IDisposable
{
    /// <summary>The least the file grows by: growing is rare, and space not yet written stays sparse on disk.</summary>
    private const long MinimumGrowth = 16L << 20;

    /// <summary>The most it grows by at once, so a large file does not double.</summary>
    private const long MaximumGrowth = 1L << 30;

    private readonly FileStream _stream;
    private readonly Dictionary<int, Stack<long>> _free = [];
    private long _used;

    public SpillFile(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
    }

    public string Path { get; }

    /// <summary>The file's length (slots given out and room to grow).</summary>
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

    /// <summary>Bytes written to and read from the file since it was made.</summary>
    public long BytesWritten { get; private set; }

    public long BytesRead { get; private set; }

    private SafeFileHandle Handle => _stream.SafeFileHandle;

    public void Write(long offset, ReadOnlySpan<float> values)
    {
        RandomAccess.Write(Handle, MemoryMarshal.AsBytes(values), offset);
        BytesWritten += 4L * values.Length;
    }

    public void Read(long offset, Span<float> destination)
    {
        var bytes = MemoryMarshal.AsBytes(destination);
        // A slot lies within the file's length, so a read stops short only at a failing disk.
        int read = 0;
        while (read < bytes.Length)
        {
            int n = RandomAccess.Read(Handle, bytes[read..], offset + read);
            if (n == 0)
            {
                throw new IOException($"The spill file {Path} ended at byte {offset + read} inside a slot of {bytes.Length} bytes at {offset}.");
            }
            read += n;
        }
        BytesRead += bytes.Length;
    }

    private void Grow(long required)
    {
        long step = Math.Clamp(Capacity, MinimumGrowth, MaximumGrowth);
        long capacity = Math.Max(required, Capacity + step);
        // Whole mebibytes, so the file grows in few, aligned steps.
        capacity = (capacity + (1L << 20) - 1) & ~((1L << 20) - 1);
        _stream.SetLength(capacity);
        Capacity = capacity;
    }

    public void Dispose() => _stream.Dispose();
}
