using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Cohort.Transport.Wire;

/// <summary>
/// A float vector on the wire: <see cref="TensorChunk"/> messages of little-endian float32 values in
/// order, so a model of any size streams in bounded pieces.
/// </summary>
public static class VectorChunks
{
    /// <summary>Values per chunk (1 MiB of float32).</summary>
    public const int ChunkValues = 1 << 18;

    static VectorChunks()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The wire format is little-endian float32; this machine is big-endian.");
        }
    }

    /// <summary>Writes the concatenation of <paramref name="parts"/> as chunks, offsets counted across parts.</summary>
    public static async Task WriteAsync(Stream stream, IReadOnlyList<ReadOnlyMemory<float>> parts, CancellationToken cancel)
    {
        long offset = 0;
        foreach (var part in parts)
        {
            for (int start = 0; start < part.Length; start += ChunkValues)
            {
                var slice = part.Slice(start, Math.Min(ChunkValues, part.Length - start));
                var bytes = MemoryMarshal.AsBytes(slice.Span).ToArray();
                var chunk = new TensorChunk { Offset = offset, Values = UnsafeByteOperations.UnsafeWrap(bytes) };
                await DelimitedMessages.WriteAsync(stream, chunk, cancel).ConfigureAwait(false);
                offset += slice.Length;
            }
        }
    }

    /// <summary>
    /// Reads chunks that cover exactly [0, destination.Length) in order, then the end of the body.
    /// With <paramref name="requireFinite"/>, a NaN or infinity is refused naming its position.
    /// </summary>
    public static async Task ReadAsync(Stream stream, Memory<float> destination, bool requireFinite, string what, CancellationToken cancel)
    {
        long filled = 0;
        while (true)
        {
            var chunk = await DelimitedMessages.ReadAsync(stream, TensorChunk.Parser, what, cancel).ConfigureAwait(false);
            if (chunk is null)
            {
                break;
            }
            if (chunk.Offset != filled)
            {
                throw new ProtocolException(400, $"{what}: chunk at offset {chunk.Offset} where offset {filled} was expected (chunks go in order, without gaps).");
            }
            if (chunk.Values.Length % 4 != 0)
            {
                throw new ProtocolException(400, $"{what}: chunk at offset {chunk.Offset} holds {chunk.Values.Length} bytes, not whole float32 values.");
            }
            int count = chunk.Values.Length / 4;
            if (filled + count > destination.Length)
            {
                throw new ProtocolException(400, $"{what}: values run past the expected length {destination.Length} (chunk at offset {chunk.Offset} holds {count}).");
            }
            var values = MemoryMarshal.Cast<byte, float>(chunk.Values.Span);
            if (requireFinite && !AllFinite(values, out int bad))
            {
                throw new ProtocolException(422, $"{what}: value {values[bad]} at position {filled + bad} is not finite.");
            }
            values.CopyTo(destination.Span[(int)filled..]);
            filled += count;
        }
        if (filled != destination.Length)
        {
            throw new ProtocolException(400, $"{what}: the body ends after {filled} of {destination.Length} values (truncated).");
        }
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
