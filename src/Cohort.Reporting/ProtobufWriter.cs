using System.Buffers.Binary;
using System.Text;
using Cohort.Federated.Wire;

namespace Cohort.Reporting;

/// <summary>The few protobuf wire encodings a TensorBoard event needs: varints, fixed64/fixed32 and length-delimited fields.</summary>
internal sealed class ProtobufWriter
{
    private const int VarintType = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => [.. _bytes];

    public ProtobufWriter Int64(int field, long value)
    {
        Tag(field, VarintType);
        WriteVarint(unchecked((ulong)value));
        return this;
    }

    public ProtobufWriter Double(int field, double value)
    {
        Tag(field, Fixed64);
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b, value);
        Append(b);
        return this;
    }

    public ProtobufWriter Float(int field, float value)
    {
        Tag(field, Fixed32);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        Append(b);
        return this;
    }

    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>An embedded message or raw bytes.</summary>
    public ProtobufWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        Append(value);
        return this;
    }

    private void Tag(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        Span<byte> b = stackalloc byte[Varint.MaxBytes];
        Append(b[..Varint.Write(b, value)]);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            _bytes.Add(b);
        }
    }
}
