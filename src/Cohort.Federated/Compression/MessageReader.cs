using System.Buffers.Binary;
using Cohort.Federated.Wire;

namespace Cohort.Federated.Compression;

/// <summary>Reads what <see cref="MessageWriter"/> wrote, in the same order; running past the end is a format error.</summary>
public ref struct MessageReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;
    private ulong _bits;
    private int _bitCount;

    public readonly int Position => _position;

    public readonly int Remaining => _bytes.Length - _position;

    public byte ReadByte()
    {
        DropBits();
        Need(1);
        return _bytes[_position++];
    }

    public ulong ReadVarint()
    {
        DropBits();
        var read = Varint.TryRead(_bytes, ref _position, out ulong value);
        if (read == VarintRead.Truncated)
        {
            Need(1);
        }
        return read == VarintRead.Done ? value : throw new FormatException("Compressed message: a varint longer than 64 bits.");
    }

    public float ReadFloat()
    {
        DropBits();
        Need(4);
        float value = BinaryPrimitives.ReadSingleLittleEndian(_bytes[_position..]);
        _position += 4;
        return value;
    }

    public ushort ReadUInt16()
    {
        DropBits();
        Need(2);
        ushort value = BinaryPrimitives.ReadUInt16LittleEndian(_bytes[_position..]);
        _position += 2;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        DropBits();
        Need(count);
        var span = _bytes.Slice(_position, count);
        _position += count;
        return span;
    }

    /// <summary>The bytes from the next byte boundary on, for a decoder that parses them in place and then skips what it used with <see cref="ReadBytes"/>.</summary>
    public ReadOnlySpan<byte> Unread()
    {
        DropBits();
        return _bytes[_position..];
    }

    public uint ReadBits(int count)
    {
        while (_bitCount < count)
        {
            Need(1);
            _bits |= (ulong)_bytes[_position++] << _bitCount;
            _bitCount += 8;
        }
        uint value = (uint)(_bits & (count == 32 ? uint.MaxValue : (1u << count) - 1));
        _bits >>= count;
        _bitCount -= count;
        return value;
    }

    public uint ReadEliasGamma()
    {
        int zeros = 0;
        while (ReadBits(1) == 0)
        {
            if (++zeros > 31)
            {
                throw new FormatException("Compressed message: an Elias gamma code longer than 32 bits.");
            }
        }
        uint value = 1;
        for (int b = 0; b < zeros; b++)
        {
            value = (value << 1) | ReadBits(1);
        }
        return value;
    }

    /// <summary>Skips the padding of a partial byte, as <see cref="MessageWriter.FlushBits"/> wrote it.</summary>
    public void DropBits()
    {
        _bits = 0;
        _bitCount = 0;
    }

    private readonly void Need(int count)
    {
        if (_position + count > _bytes.Length)
        {
            throw new FormatException($"Compressed message: {count} more bytes needed at byte {_position} of {_bytes.Length}.");
        }
    }
}
