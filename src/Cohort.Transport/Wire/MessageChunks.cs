namespace Cohort.Transport.Wire;

/// <summary>
/// A compressed message on the wire: its frame bytes (docs/compression.md) as <see cref="MessageChunk"/>
/// messages in order, so the receiver decodes exactly the bytes the sender encoded.
/// </summary>
internal static class MessageChunks
{
    /// <summary>Bytes per chunk.</summary>
    public const int ChunkBytes = 1 << 20;

    public static async Task WriteAsync(IChunkWriter writer, ReadOnlyMemory<byte> message, CancellationToken cancel)
    {
        for (int start = 0; start < message.Length; start += ChunkBytes)
        {
            await writer.WriteMessageAsync(start, message.Slice(start, Math.Min(ChunkBytes, message.Length - start)), cancel).ConfigureAwait(false);
        }
    }

    /// <summary>Reads chunks that cover exactly [0, destination.Length) in order; what follows them stays in the stream.</summary>
    public static async Task ReadAsync(IChunkReader reader, Memory<byte> destination, string what, CancellationToken cancel)
    {
        long filled = 0;
        while (filled < destination.Length)
        {
            var chunk = await reader.NextAsync(what, cancel).ConfigureAwait(false)
                ?? throw new ProtocolException(400, $"{what}: the stream ends after {filled} of {destination.Length} message bytes (truncated).");
            long offset = chunk.Offset;
            var bytes = chunk.Bytes.Span;
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
