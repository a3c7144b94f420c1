using Cohort.Transport.Wire;

namespace Cohort.Transport.Client;

/// <summary>
/// One exchange's upload: the header (task, report, uplink scalars and the layout of what follows), the
/// compressed update's frame bytes or the dense update, and the method's uplink vectors.
/// </summary>
internal sealed record ClientUpload(UpdateHeader Header, ReadOnlyMemory<byte> Message, ReadOnlyMemory<float> Update, IReadOnlyList<ReadOnlyMemory<float>> Vectors)
{
    /// <summary>A dense update and nothing else (methods that send only the update, uncompressed).</summary>
    public static ClientUpload Dense(UpdateHeader header, ReadOnlyMemory<float> update) => new(header, ReadOnlyMemory<byte>.Empty, update, []);

    /// <summary>What follows the header, as the protocol lays it out (docs/protocol.md): the compressed frame or the dense update, then the uplink vectors.</summary>
    public async Task WriteChunksAsync(IChunkWriter chunks, CancellationToken cancel)
    {
        if (!Message.IsEmpty)
        {
            await MessageChunks.WriteAsync(chunks, Message, cancel).ConfigureAwait(false);
        }
        ReadOnlyMemory<float>[] dense = Update.IsEmpty ? [] : [Update];
        await VectorChunks.WriteAsync(chunks, [.. dense, .. Vectors], cancel).ConfigureAwait(false);
    }
}
