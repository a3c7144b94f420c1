using System.Runtime.CompilerServices;

namespace Cohort.Federated.Wire;

/// <summary>
/// Protobuf's base-128 varints (LEB128): 7 bits a byte, least significant first, the high bit set on
/// every byte but the last. The one encoder and decoder behind compressed messages, the transport's
/// framing and the TensorBoard event writer.
/// </summary>
internal static class Varint
{
    /// <summary>The most bytes a 64-bit value takes.</summary>
    public const int MaxBytes = 10;

    /// <summary>Whether a byte has the continuation bit, so another byte of the same varint follows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Continues(byte b) => b >= 0x80;

    public static int Size(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/>; returns the bytes used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(Span<byte> destination, ulong value)
    {
        int n = 0;
        while (value >= 0x80)
        {
            destination[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[n++] = (byte)value;
        return n;
    }

    /// <summary>
    /// Reads the varint at <paramref name="at"/> and moves past it. Bits beyond the 64th are dropped;
    /// a varint of more than <see cref="MaxBytes"/> bytes, or one the bytes end inside, is not read
    /// (<paramref name="at"/> then stands where reading stopped).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VarintRead TryRead(ReadOnlySpan<byte> source, ref int at, out ulong value)
    {
        if (at < source.Length && source[at] < 0x80)
        {
            value = source[at++];
            return VarintRead.Done;
        }
        return TryReadLong(source, ref at, out value);
    }

    private static VarintRead TryReadLong(ReadOnlySpan<byte> source, ref int at, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (at >= source.Length)
            {
                return VarintRead.Truncated;
            }
            byte b = source[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return VarintRead.Done;
            }
        }
        return VarintRead.TooLong;
    }
}

/// <summary>How reading one varint ended.</summary>
internal enum VarintRead
{
    Done,

    /// <summary>The bytes ended before the varint's last byte.</summary>
    Truncated,

    /// <summary>More than <see cref="Varint.MaxBytes"/> bytes with the continuation bit.</summary>
    TooLong,
}
