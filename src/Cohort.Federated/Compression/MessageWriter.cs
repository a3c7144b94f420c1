using System.Buffers.Binary;

namespace Cohort.Federated.Compression;

/// <summary>
/// Appends the bytes of one encoded message: whole bytes (varints, little-endian numbers) and a bit
/// stream (signs, Elias-gamma codes, packed levels) written least significant bit first. The buffer
/// grows as needed and is reused from message to message.
/// </summary>
public sealed class MessageWriter
{
    private byte[] _buffer = new byte[256];
    private ulong _bits;
    private int _bitCount;

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Clear()
    {
        Length = 0;
        _bits = 0;
        _bitCount = 0;
    }

    public void WriteByte(byte value)
    {
        FlushBits();
        Ensure(1);
        _buffer[Length++] = value;
    }

    /// <summary>LEB128: 7 bits a byte, small numbers in one byte.</summary>
    public void WriteVarint(ulong value)
    {
        FlushBits();
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[Length++] = (byte)value;
    }

    public void WriteFloat(float value)
    {
        FlushBits();
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(Length), value);
        Length += 4;
    }

    public void WriteUInt16(ushort value)
    {
        FlushBits();
        Ensure(2);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(Length), value);
        Length += 2;
    }

    /// <summary>Reserves <paramref name="count"/> bytes and returns them to be filled directly (dense payloads).</summary>
    public Span<byte> Reserve(int count)
    {
        FlushBits();
        Ensure(count);
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    /// <summary>The low <paramref name="count"/> (≤ 32) bits of <paramref name="value"/>.</summary>
    public void WriteBits(uint value, int count)
    {
        _bits |= (ulong)(value & (count == 32 ? uint.MaxValue : (1u << count) - 1)) << _bitCount;
        _bitCount += count;
        while (_bitCount >= 8)
        {
            Ensure(1);
            _buffer[Length++] = (byte)_bits;
            _bits >>= 8;
            _bitCount -= 8;
        }
    }

    /// <summary>Elias gamma code of v ≥ 1: ⌊log₂v⌋ zeros, then v's bits from the most significant.</summary>
    public void WriteEliasGamma(uint value)
    {
        if (value == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Elias gamma codes positive integers only.");
        }
        int top = 31 - System.Numerics.BitOperations.LeadingZeroCount(value);
        WriteBits(0, top);
        for (int b = top; b >= 0; b--)
        {
            WriteBits((value >> b) & 1, 1);
        }
    }

    /// <summary>Pads a partial byte of the bit stream with zeros.</summary>
    public void FlushBits()
    {
        if (_bitCount > 0)
        {
            Ensure(1);
            _buffer[Length++] = (byte)_bits;
            _bits = 0;
            _bitCount = 0;
        }
    }

    private void Ensure(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }
    }
}
