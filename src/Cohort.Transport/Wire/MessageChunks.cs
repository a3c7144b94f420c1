using System.Buffers;

namespace Cohort.Transport.Wire;

/// <summary>
/// A compressed message on the wire: its frame bytes (docs/compression.md) as <see cref="MessageChunk"/>
/// messages in order, so the receiver decodes exactly the bytes the sender encoded.
/// </summary>
internal static class MessageChunks
{
    /// <summary>Bytes per chunk.</summary>
    public const int ChunkBytes = 1 << 20;

    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken cancel)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes + 32);
        try
        {
            for (int start = 0; start < message.Length; start += ChunkBytes)
            {
                var slice = message.Slice(start, Math.Min(ChunkBytes, message.Length - start));
                int length = TensorChunkCodec.EncodeFrame(buffer, start, slice.Span);
                await stream.WriteAsync(buffer.AsMemory(0, length), cancel).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads chunks that cover exactly [0, destination.Length) in order; what follows them stays in the stream.</summary>
    public static async Task ReadAsync(Stream stream, Memory<byte> destination, string what, CancellationToken cancel)
    {
        long filled = 0;
        while (filled < destination.Length)
        {
            using var frame = await DelimitedMessages.ReadFrameAsync(stream, what, cancel).ConfigureAwait(false)
                ?? throw new ProtocolException(400, $"{what}: the body ends after {filled} of {destination.Length} message bytes (truncated).");
            var bytes = TensorChunkCodec.Decode(frame.Span, what, out long offset);
            if (offset != filled)
            {
                throw new ProtocolException(400, $"{what}: message chunk at offset {offset} where offset {filled} was expected (chunks go in order, without gaps).");
            }
            if (filled + bytes.Length > destination.Length)
            {
                throw new ProtocolException(400, $"{what}: message bytes run past the announced length {destination.Length} (chunk at offset {offset} holds {bytes.Length}).");
            }
            bytes.CopyTo(destination.Span[(int)filled..]);
            filled += bytes.Length;
        }
    }
}
