using System.Buffers;

namespace Cohort.Transport.Wire;

/// <summary>Chunks as varint-length-delimited messages on an HTTP body (the /v1/ routes, before the gRPC services).</summary>
internal sealed class StreamChunks(Stream stream) : IChunkReader, IChunkWriter, IDisposable
{
    private DelimitedMessages.Frame? _last;
    private byte[]? _buffer;

    public async ValueTask<Chunk?> NextAsync(string what, CancellationToken cancel)
    {
        _last?.Dispose();
        _last = await DelimitedMessages.ReadFrameAsync(stream, what, cancel).ConfigureAwait(false);
        if (_last is null)
        {
            return null;
        }
        var (offset, start, length) = TensorChunkCodec.Decode(_last.Span, what);
        return new Chunk(offset, _last.Bytes.AsMemory(start, length));
    }

    public ValueTask WriteValuesAsync(long offset, ReadOnlyMemory<byte> values, CancellationToken cancel) => WriteAsync(offset, values, cancel);

    public ValueTask WriteMessageAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancel) => WriteAsync(offset, data, cancel);

    private async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> bytes, CancellationToken cancel)
    {
        if (_buffer is null || _buffer.Length < bytes.Length + 32)
        {
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = ArrayPool<byte>.Shared.Rent(bytes.Length + 32);
        }
        int length = TensorChunkCodec.EncodeFrame(_buffer, offset, bytes.Span);
        await stream.WriteAsync(_buffer.AsMemory(0, length), cancel).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _last?.Dispose();
        _last = null;
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
