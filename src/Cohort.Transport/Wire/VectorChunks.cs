using System.Runtime.InteropServices;

namespace Cohort.Transport.Wire;

/// <summary>
/// A float vector on the wire: <see cref="TensorChunk"/> messages of little-endian float32 values in
/// order, so a model of any size streams in bounded pieces.
/// </summary>
internal static class VectorChunks
{
    /// <summary>Values per chunk (1 MiB of float32).</summary>
    public const int ChunkValues = 1 << 18;

    /// <summary>The largest message of a call either side takes: a chunk of values (1 MiB) and its framing, with room to spare.</summary>
    public const int MaxPartBytes = 4 << 20;

    static VectorChunks()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The wire format is little-endian float32; this machine is big-endian.");
        }
    }

    /// <summary>Writes the concatenation of <paramref name="parts"/> as chunks, offsets counted across parts, each chunk serialized from the part itself.</summary>
    public static async Task WriteAsync(IChunkWriter writer, IReadOnlyList<ReadOnlyMemory<float>> parts, CancellationToken cancel)
    {
        long offset = 0;
        foreach (var part in parts)
        {
            for (int start = 0; start < part.Length; start += ChunkValues)
            {
                var slice = part.Slice(start, Math.Min(ChunkValues, part.Length - start));
                await writer.WriteValuesAsync(offset, FloatBytes.Of(slice), cancel).ConfigureAwait(false);
                offset += slice.Length;
            }
        }
    }

    /// <summary>
    /// Reads chunks that cover exactly [0, destination.Length) in order, then the end of the stream.
    /// With <paramref name="requireFinite"/>, a NaN or infinity is refused naming its position.
    /// </summary>
    public static Task ReadAsync(IChunkReader reader, Memory<float> destination, bool requireFinite, string what, CancellationToken cancel) =>
        ReadAsync(reader, [destination], requireFinite, what, cancel);

    /// <summary>Reads chunks that cover the concatenation of <paramref name="parts"/> in order (offsets counted across parts), then the end of the stream.</summary>
    public static async Task ReadAsync(IChunkReader reader, IReadOnlyList<Memory<float>> parts, bool requireFinite, string what, CancellationToken cancel)
    {
        long filled = 0, total = parts.Sum(p => (long)p.Length);
        while (await reader.NextAsync(what, cancel).ConfigureAwait(false) is { } chunk)
        {
            filled += Take(chunk, parts, total, filled, requireFinite, what);
        }
        if (filled != total)
        {
            throw new ProtocolException(400, $"{what}: the stream ends after {filled} of {total} values (truncated).");
        }
    }

    /// <summary>Checks one chunk against what was expected next and copies its values across the parts; returns how many.</summary>
    private static int Take(Chunk chunk, IReadOnlyList<Memory<float>> parts, long total, long filled, bool requireFinite, string what)
    {
        long offset = chunk.Offset;
        var bytes = chunk.Bytes.Span;
        if (offset != filled)
        {
            throw new ProtocolException(400, $"{what}: chunk at offset {offset} where offset {filled} was expected (chunks go in order, without gaps).");
        }
        if (bytes.Length % 4 != 0)
        {
            throw new ProtocolException(400, $"{what}: chunk at offset {offset} holds {bytes.Length} bytes, not whole float32 values.");
        }
        int count = bytes.Length / 4;
        if (filled + count > total)
        {
            throw new ProtocolException(400, $"{what}: values run past the expected length {total} (chunk at offset {offset} holds {count}).");
        }
        var values = MemoryMarshal.Cast<byte, float>(bytes);
        if (requireFinite && !AllFinite(values, out int bad))
        {
            throw new ProtocolException(422, $"{what}: value {values[bad]} at position {filled + bad} is not finite.");
        }
        // A chunk may straddle the end of one part and the start of the next.
        long start = 0;
        foreach (var part in parts)
        {
            long end = start + part.Length;
            if (filled < end && values.Length > 0)
            {
                int take = (int)Math.Min(values.Length, end - filled);
                values[..take].CopyTo(part.Span[(int)(filled - start)..]);
                values = values[take..];
                filled += take;
            }
            start = end;
        }
        return count;
    }

    private static bool AllFinite(ReadOnlySpan<float> values, out int position)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                position = i;
                return false;
            }
        }
        position = -1;
        return true;
    }
}
