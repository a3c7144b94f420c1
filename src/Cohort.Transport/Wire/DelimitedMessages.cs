using System.Buffers;
using Cohort.Federated.Wire;
using Google.Protobuf;

namespace Cohort.Transport.Wire;

/// <summary>
/// Reads and writes varint-length-delimited protobuf messages on a stream, asynchronously (Kestrel
/// forbids blocking reads), with a ceiling on each message so one frame cannot claim unbounded memory.
/// </summary>
internal static class DelimitedMessages
{
    /// <summary>The largest single message accepted: a chunk of values plus its framing.</summary>
    public const int MaxMessageBytes = 4 << 20;

    public static async Task WriteAsync(Stream stream, IMessage message, CancellationToken cancel)
    {
        int size = message.CalculateSize();
        var buffer = ArrayPool<byte>.Shared.Rent(size + 5);
        try
        {
            int header = Varint.Write(buffer, (uint)size);
            message.WriteTo(buffer.AsSpan(header, size));
            await stream.WriteAsync(buffer.AsMemory(0, header + size), cancel).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The next message, or null when the stream ends cleanly between messages.</summary>
    public static async Task<T?> ReadAsync<T>(Stream stream, MessageParser<T> parser, string what, CancellationToken cancel)
        where T : class, IMessage<T>
    {
        using var frame = await ReadFrameAsync(stream, what, cancel).ConfigureAwait(false);
        if (frame is null)
        {
            return null;
        }
        try
        {
            return parser.ParseFrom(frame.Bytes, 0, frame.Length);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ProtocolException(400, $"{what}: not a valid {typeof(T).Name} message ({e.Message}).");
        }
    }

    /// <summary>The next message's bytes (in a pooled buffer, returned on dispose), or null at a clean end.</summary>
    public static async Task<Frame?> ReadFrameAsync(Stream stream, string what, CancellationToken cancel)
    {
        int? length = await ReadVarintAsync(stream, what, cancel).ConfigureAwait(false);
        if (length is null)
        {
            return null;
        }
        if (length > MaxMessageBytes)
        {
            throw new ProtocolException(413, $"{what}: a message of {length} bytes exceeds the limit of {MaxMessageBytes}.");
        }
        var frame = new Frame(ArrayPool<byte>.Shared.Rent(Math.Max(1, length.Value)), length.Value);
        try
        {
            await ReadExactlyAsync(stream, frame.Bytes.AsMemory(0, frame.Length), what, cancel).ConfigureAwait(false);
            return frame;
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>One message's bytes in a pooled buffer.</summary>
    public sealed class Frame(byte[] bytes, int length) : IDisposable
    {
        public byte[] Bytes { get; } = bytes;

        public int Length { get; } = length;

        public ReadOnlySpan<byte> Span => Bytes.AsSpan(0, Length);

        public void Dispose() => ArrayPool<byte>.Shared.Return(Bytes);
    }

    private static async Task<int?> ReadVarintAsync(Stream stream, string what, CancellationToken cancel)
    {
        // A length fits in 5 bytes; they are read one at a time, so nothing of the message behind is consumed.
        var bytes = new byte[5];
        for (int n = 0; n < bytes.Length; n++)
        {
            int read = await stream.ReadAsync(bytes.AsMemory(n, 1), cancel).ConfigureAwait(false);
            if (read == 0)
            {
                return n == 0 ? null : throw new ProtocolException(400, $"{what}: the body ends inside a message length.");
            }
            if (!Varint.Continues(bytes[n]))
            {
                int at = 0;
                Varint.TryRead(bytes.AsSpan(0, n + 1), ref at, out ulong value);
                return value > int.MaxValue ? throw new ProtocolException(413, $"{what}: message length {value} is too large.") : (int)value;
            }
        }
        throw new ProtocolException(400, $"{what}: a message length is not a valid varint.");
    }

    private static async Task ReadExactlyAsync(Stream stream, Memory<byte> destination, string what, CancellationToken cancel)
    {
        try
        {
            await stream.ReadExactlyAsync(destination, cancel).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw new ProtocolException(400, $"{what}: the body ends inside a message (truncated).");
        }
    }
}
