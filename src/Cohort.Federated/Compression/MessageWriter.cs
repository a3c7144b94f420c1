using System.Buffers.Binary;
using Cohort.Federated.Wire;

namespace Cohort.Federated.Compression;

/// <summary>
/// Appends the bytes of one encoded message: whole bytes (varints, little-endian numbers) and a bit
/// stream (signs, Elias-gamma codes, packed levels) written least significant bit first. The buffer
/// grows as needed and is reused from message to message.
/// </summary>
public sealed class MessageWriter
{
    // Room before a framed payload for the id and two 5-byte varints, so the header goes in front of the payload without moving it.
    private const int FrameRoom = 11;

    private byte[] _buffer = new byte[256];
    private ulong _bits;
    private int _bitCount;
    private int _start;

    // The write position: bytes before it (from _start) are the message.
    private int _end;

    public int Length => _end - _start;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(_start, Length);

    public void Clear()
    {
        _end = 0;
        _start = 0;
        _bits = 0;
        _bitCount = 0;
    }

    /// <summary>Clears the writer for a payload that <see cref="EndFrame"/> then puts behind a header.</summary>
    public void BeginFrame()
    {
        Clear();
        Ensure(FrameRoom);
        _end = FrameRoom;
        _start = FrameRoom;
    }

    /// <summary>Writes the header (id, value count, payload length) just before the payload, so <see cref="Written"/> is the whole message.</summary>
    public void EndFrame(byte id, int count)
    {
        FlushBits();
        int payload = _end - FrameRoom;
        Span<byte> header = stackalloc byte[FrameRoom];
        header[0] = id;
        int length = 1 + Varint.Write(header[1..], (ulong)count);
        length += Varint.Write(header[length..], (ulong)payload);
        _start = FrameRoom - length;
        header[..length].CopyTo(_buffer.AsSpan(_start));
    }

    public void WriteByte(byte value)
    {
        FlushBits();
        Ensure(1);
        _buffer[_end++] = value;
    }

    /// <summary>LEB128: 7 bits a byte, small numbers in one byte.</summary>
    public void WriteVarint(ulong value)
    {
        FlushBits();
        Ensure(Varint.MaxBytes);
        _end += Varint.Write(_buffer.AsSpan(_end), value);
    }

    public void WriteFloat(float value)
    {
        FlushBits();
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(_end), value);
        _end += 4;
    }

    public void WriteUInt16(ushort value)
    {
        FlushBits();
        Ensure(2);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_end), value);
        _end += 2;
    }

    /// <summary>Reserves <paramref name="count"/> bytes and returns them to be filled directly (dense payloads).</summary>
    public Span<byte> Reserve(int count)
    {
        FlushBits();
        Ensure(count);
        var span = _buffer.AsSpan(_end, count);
        _end += count;
        return span;
    }

    /// <summary>At least <paramref name="count"/> free bytes after the written ones; <see cref="Advance"/> then keeps those filled.</summary>
    public Span<byte> Free(int count)
    {
        FlushBits();
        Ensure(count);
        return _buffer.AsSpan(_end);
    }

    /// <summary>Keeps <paramref name="count"/> bytes of what <see cref="Free"/> returned.</summary>
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _end))
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"{count} bytes past the buffer's end.");
        }
        _end += count;
    }

    /// <summary>The low <paramref name="count"/> (≤ 32) bits of <paramref name="value"/>.</summary>
    public void WriteBits(uint value, int count)
    {
        _bits |= (ulong)(value & (count == 32 ? uint.MaxValue : (1u << count) - 1)) << _bitCount;
        _bitCount += count;
        while (_bitCount >= 8)
        {
            Ensure(1);
            _buffer[_end++] = (byte)_bits;
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
            _buffer[_end++] = (byte)_bits;
            _bits = 0;
            _bitCount = 0;
        }
    }

    private void Ensure(int count)
    {
        if (_end + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _end + count));
        }
    }
}
