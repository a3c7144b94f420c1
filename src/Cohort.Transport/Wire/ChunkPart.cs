using System.Buffers;
using Grpc.Core;
using Google.Protobuf;

namespace Cohort.Transport.Wire;

/// <summary>A message of a chunked gRPC stream (<see cref="UploadPart"/>, <see cref="DownloadPart"/>): a header or one chunk.</summary>
internal interface IChunkPart
{
    TensorChunk Tensor { get; set; }

    MessageChunk Message { get; set; }

    /// <summary>The pooled buffer the chunk's bytes lie in (<see cref="PooledUploadParts"/>), returned once they are taken; null for bytes of their own.</summary>
    byte[]? Pooled { get; set; }
}

internal sealed partial class UploadPart : IChunkPart
{
    public byte[]? Pooled { get; set; }
}

internal sealed partial class DownloadPart : IChunkPart
{
    public byte[]? Pooled { get; set; }
}

internal sealed partial class GradientPart : IChunkPart
{
    public byte[]? Pooled { get; set; }

    /// <summary>A gradient travels as values only: a report has no message chunks.</summary>
    MessageChunk IChunkPart.Message
    {
        get => null!;
        set => throw new NotSupportedException("a gradient report carries no message chunks.");
    }
}

/// <summary>
/// The chunks of a gRPC call's stream of parts, read or written; the values are wrapped, not copied, on the way out (a write
/// serializes them before it completes). A chunk read into a pooled buffer goes back to the pool at the next read.
/// </summary>
internal sealed class ChunkParts<T>(IAsyncStreamReader<T>? reader = null, IAsyncStreamWriter<T>? writer = null) : IChunkReader, IChunkWriter
    where T : class, IChunkPart, new()
{
    private byte[]? _lent;

    public async ValueTask<Chunk?> NextAsync(string what, CancellationToken cancel)
    {
        if (_lent is not null)
        {
            ArrayPool<byte>.Shared.Return(_lent);
            _lent = null;
        }
        if (!await reader!.MoveNext(cancel).ConfigureAwait(false))
        {
            return null;
        }
        var part = reader.Current;
        (_lent, part.Pooled) = (part.Pooled, null);
        return part.Tensor is { } tensor ? new Chunk(tensor.Offset, tensor.Values.Memory)
            : part.Message is { } message ? new Chunk(message.Offset, message.Data.Memory)
            : throw new ProtocolException(400, $"{what}: a part that is not a chunk after the header (one header, then chunks).");
    }

    public async ValueTask WriteValuesAsync(long offset, ReadOnlyMemory<byte> values, CancellationToken cancel) =>
        await writer!.WriteAsync(new T { Tensor = new TensorChunk { Offset = offset, Values = UnsafeByteOperations.UnsafeWrap(values) } }, cancel).ConfigureAwait(false);

    public async ValueTask WriteMessageAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancel) =>
        await writer!.WriteAsync(new T { Message = new MessageChunk { Offset = offset, Data = UnsafeByteOperations.UnsafeWrap(data) } }, cancel).ConfigureAwait(false);
}
