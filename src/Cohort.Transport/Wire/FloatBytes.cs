using System.Buffers;
using System.Runtime.InteropServices;

namespace Cohort.Transport.Wire;

/// <summary>
/// Float32 values seen as their little-endian bytes without copying them, so a chunk is serialized straight from the
/// vector it belongs to (the wire format is the machine's, <see cref="VectorChunks"/>).
/// </summary>
internal sealed class FloatBytes(ArraySegment<float> values) : MemoryManager<byte>
{
    /// <summary>The bytes of <paramref name="values"/>, valid while they are (a copy when they do not lie in an array).</summary>
    public static ReadOnlyMemory<byte> Of(ReadOnlyMemory<float> values) =>
        MemoryMarshal.TryGetArray(values, out var segment) ? new FloatBytes(segment).Memory : MemoryMarshal.AsBytes(values.Span).ToArray();

    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(values.AsSpan());

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        var handle = GCHandle.Alloc(values.Array, GCHandleType.Pinned);
        byte* start = (byte*)handle.AddrOfPinnedObject() + (4L * values.Offset) + elementIndex;
        // Disposing the handle frees the pin.
        return new MemoryHandle(start, handle, this);
    }

    public override void Unpin()
    {
        // The pin is the GCHandle that the MemoryHandle frees.
    }

    protected override void Dispose(bool disposing)
    {
        // Nothing owned: the values are the caller's.
    }
}
