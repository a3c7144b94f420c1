using System.Runtime.InteropServices;
using Cohort.Federated.Wire;

namespace Cohort.Transport.Wire;

/// <summary>
/// <see cref="TensorChunk"/> (and <see cref="MessageChunk"/>, the same fields over raw bytes) encoded and decoded by hand, straight between float spans and frame bytes:
/// the generated code would copy each megabyte of values into a fresh ByteString on both sides. The
/// bytes are the standard protobuf encoding, so any protobuf library reads and writes them.
/// </summary>
internal static class TensorChunkCodec
{
    private const byte OffsetTag = 0x08; // field 1, varint
    private const byte ValuesTag = 0x12; // field 2, length-delimited

    /// <summary>The most bytes a delimited chunk of <paramref name="values"/> floats takes.</summary>
    public static int MaxFrameBytes(int values) => (4 * values) + 32;

    /// <summary>Writes a length-delimited TensorChunk; returns its length.</summary>
    public static int EncodeFrame(Span<byte> destination, long offset, ReadOnlySpan<float> values) =>
        EncodeFrame(destination, offset, MemoryMarshal.AsBytes(values));

    /// <summary>Writes a length-delimited chunk of raw bytes (a MessageChunk: the same two fields); returns its length.</summary>
    public static int EncodeFrame(Span<byte> destination, long offset, ReadOnlySpan<byte> data)
    {
        int bytes = data.Length;
        int body = 1 + Varint.Size((ulong)offset) + 1 + Varint.Size((uint)bytes) + bytes;
        int at = Varint.Write(destination, (uint)body);
        destination[at++] = OffsetTag;
        at += Varint.Write(destination[at..], (ulong)offset);
        destination[at++] = ValuesTag;
        at += Varint.Write(destination[at..], (uint)bytes);
        data.CopyTo(destination[at..]);
        return at + bytes;
    }

    /// <summary>Reads a TensorChunk message (without its length prefix): its offset and where its bytes lie in it; unknown fields are refused.</summary>
    public static (long Offset, int Start, int Length) Decode(ReadOnlySpan<byte> message, string what)
    {
        long offset = 0;
        int start = 0, count = 0;
        int at = 0;
        while (at < message.Length)
        {
            byte tag = message[at++];
            switch (tag)
            {
                case OffsetTag:
                    offset = (long)ReadVarint(message, ref at, what);
                    break;
                case ValuesTag:
                    ulong length = ReadVarint(message, ref at, what);
                    if (length > (ulong)(message.Length - at))
                    {
                        throw new ProtocolException(400, $"{what}: a chunk's values run past the end of its message.");
                    }
                    (start, count) = (at, (int)length);
                    at += (int)length;
                    break;
                default:
                    throw new ProtocolException(400, $"{what}: not a valid TensorChunk message (unexpected field tag {tag}).");
            }
        }
        return (offset, start, count);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> message, ref int at, string what) =>
        Varint.TryRead(message, ref at, out ulong value) == VarintRead.Done ? value : throw new ProtocolException(400, $"{what}: a broken varint.");
}
