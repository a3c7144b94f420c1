namespace Cohort.Transport.Wire;

/// <summary>Sends the chunks of a vector or a compressed message; the bytes may be reused once a write completes.</summary>
internal interface IChunkWriter
{
    /// <summary>A <see cref="TensorChunk"/> of float32 values starting at value <paramref name="offset"/>.</summary>
    ValueTask WriteValuesAsync(long offset, ReadOnlyMemory<byte> values, CancellationToken cancel);

    /// <summary>A <see cref="MessageChunk"/> of a compressed message's bytes starting at byte <paramref name="offset"/>.</summary>
    ValueTask WriteMessageAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancel);
}
