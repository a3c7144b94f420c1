using System.Buffers;
using Grpc.Core;
using Google.Protobuf;

namespace Cohort.Transport.Wire;

/// <summary>
/// The server's reading of an upload's parts: a chunk's values are copied once, from the received frame into a pooled
/// buffer that <see cref="ChunkParts{T}"/> returns when it moves on, instead of into a fresh 1 MiB <see cref="ByteString"/>
/// per chunk (large-object garbage that made the server's memory and collections grow with its ingest). Headers and any
/// part this reader does not take apart (unknown fields, a repeated field) go to the generated parser, so what is
/// accepted and refused is protobuf's.
/// </summary>
internal static class PooledUploadParts
{
    private const uint MessageTag = (2 << 3) | 2; // UploadPart.message, length-delimited
    private const uint TensorTag = (3 << 3) | 2; // UploadPart.tensor, length-delimited
    private const uint OffsetTag = (1 << 3) | 0; // TensorChunk.offset and MessageChunk.offset, varint
    private const uint BytesTag = (2 << 3) | 2; // TensorChunk.values and MessageChunk.data, length-delimited

    public static Marshaller<UploadPart> Marshaller { get; } = Marshallers.Create<UploadPart>(
        (part, context) =>
        {
            context.SetPayloadLength(part.CalculateSize());
            part.WriteTo(context.GetBufferWriter());
            context.Complete();
        },
        context => Parse(context.PayloadAsReadOnlySequence()));

    /// <summary>One part: a chunk read into a pooled buffer (<see cref="IChunkPart.Pooled"/>), anything else as the generated parser reads it.</summary>
    public static UploadPart Parse(ReadOnlySequence<byte> payload) => TryChunk(payload) ?? UploadPart.Parser.ParseFrom(payload);

    private static UploadPart? TryChunk(ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(payload);
        if (!TryVarint(ref reader, out ulong tag) || (tag != MessageTag && tag != TensorTag)
            || !TryVarint(ref reader, out ulong length) || length != (ulong)reader.Remaining)
        {
            return null;
        }
        long offset = 0;
        bool seenOffset = false;
        byte[]? bytes = null;
        int count = 0;
        while (!reader.End)
        {
            if (!TryVarint(ref reader, out ulong field))
            {
                return Abandon(bytes);
            }
            if (field == OffsetTag && !seenOffset && TryVarint(ref reader, out ulong value))
            {
                (offset, seenOffset) = ((long)value, true);
            }
            else if (field == BytesTag && bytes is null && TryVarint(ref reader, out ulong size) && size <= (ulong)reader.Remaining)
            {
                count = (int)size;
                bytes = ArrayPool<byte>.Shared.Rent(Math.Max(1, count));
                reader.TryCopyTo(bytes.AsSpan(0, count));
                reader.Advance(count);
            }
            else
            {
                return Abandon(bytes);
            }
        }
        var data = bytes is null ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(bytes.AsMemory(0, count));
        var part = tag == TensorTag
            ? new UploadPart { Tensor = new TensorChunk { Offset = offset, Values = data } }
            : new UploadPart { Message = new MessageChunk { Offset = offset, Data = data } };
        part.Pooled = bytes;
        return part;
    }

    private static UploadPart? Abandon(byte[]? bytes)
    {
        if (bytes is not null)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
        return null;
    }

    private static bool TryVarint(ref SequenceReader<byte> reader, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (!reader.TryRead(out byte b))
            {
                return false;
            }
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }
        return false;
    }
}
