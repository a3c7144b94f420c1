namespace Cohort.Transport.Wire;

/// <summary>
/// The chunks of a vector or a compressed message as they arrive (<see cref="TensorChunk"/> or <see cref="MessageChunk"/>):
/// each an offset and its bytes, valid until the next read.
/// </summary>
internal interface IChunkReader
{
    /// <summary>The next chunk, or null when the stream of chunks ends cleanly.</summary>
    ValueTask<Chunk?> NextAsync(string what, CancellationToken cancel);
}

/// <summary>One chunk: bytes that start at <see cref="Offset"/> of what is being sent (values for a vector, bytes for a message).</summary>
internal readonly record struct Chunk(long Offset, ReadOnlyMemory<byte> Bytes);
