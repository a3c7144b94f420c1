using System.Buffers.Binary;

namespace Cohort.Federated.Compression;

/// <summary>
/// Codes of one width (1 to 32 bits) packed least significant bit first, as <see cref="MessageWriter.WriteBits"/>
/// writes them one at a time, the last byte padded with zeros: a 64-bit buffer that moves 4 bytes at a time.
/// </summary>
internal static class FixedWidthBits
{
    public static int Bytes(int count, int width) => (int)(((long)count * width + 7) / 8);

    /// <summary>Writes the low <paramref name="width"/> bits of each code into <see cref="Bytes"/>(codes.Length, width) bytes.</summary>
    public static void Pack(ReadOnlySpan<uint> codes, int width, Span<byte> bytes)
    {
        Check(width, bytes.Length, Bytes(codes.Length, width));
        ulong mask = (1UL << width) - 1, buffer = 0;
        int count = 0, at = 0;
        foreach (uint code in codes)
        {
            buffer |= (code & mask) << count;
            count += width;
            if (count >= 32)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes[at..], (uint)buffer);
                at += 4;
                buffer >>= 32;
                count -= 32;
            }
        }
        for (; count > 0; count -= 8)
        {
            bytes[at++] = (byte)buffer;
            buffer >>= 8;
        }
    }

    /// <summary>Reads codes.Length codes of <paramref name="width"/> bits from <see cref="Bytes"/>(codes.Length, width) bytes.</summary>
    public static void Unpack(ReadOnlySpan<byte> bytes, int width, Span<uint> codes)
    {
        Check(width, bytes.Length, Bytes(codes.Length, width));
        ulong mask = (1UL << width) - 1, buffer = 0;
        int count = 0, at = 0;
        for (int i = 0; i < codes.Length; i++)
        {
            if (count < width)
            {
                buffer |= (ulong)Word(bytes, at) << count;
                at += 4;
                count += 32;
            }
            codes[i] = (uint)(buffer & mask);
            buffer >>= width;
            count -= width;
        }
    }

    // Four bytes from at, fewer at the end (the rest read as zeros).
    private static uint Word(ReadOnlySpan<byte> bytes, int at)
    {
        if (at + 4 <= bytes.Length)
        {
            return BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]);
        }
        uint word = 0;
        for (int j = 0; at + j < bytes.Length; j++)
        {
            word |= (uint)bytes[at + j] << (8 * j);
        }
        return word;
    }

    private static void Check(int width, int bytes, int needed)
    {
        if (width is < 1 or > 32 || bytes < needed)
        {
            throw new ArgumentException($"Fixed-width codes: width {width} needs {needed} bytes; {bytes} given.");
        }
    }
}
