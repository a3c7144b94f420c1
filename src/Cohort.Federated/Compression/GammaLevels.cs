using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cohort.Federated.Compression;

/// <summary>
/// QSGD's bit stream for one bucket, a whole run at a time: for each level ℓ ≤ s the Elias gamma code
/// of ℓ + 1, then a sign bit when ℓ &gt; 0. The codes come from a table (one per level, bits already in
/// stream order) and go through a 64-bit buffer that stores 8 bytes and moves on by the whole bytes
/// done, one shift per code; reading takes the zeros with a trailing-zero count and reverses the bits
/// after them with a table. Tests compare both with <see cref="MessageWriter.WriteEliasGamma"/> and
/// <see cref="MessageReader.ReadEliasGamma"/>.
/// </summary>
internal sealed class GammaLevels
{
    private readonly int _levels;
    private readonly int _maxZeros;

    // Per symbol (level·2 + sign): the gamma code of level + 1 and the sign bit in stream order (least significant bit first), the length in the top byte.
    private readonly ulong[] _codes;

    // The low _maxZeros bits of each index reversed.
    private readonly uint[] _reversed;

    public GammaLevels(int levels)
    {
        _levels = levels;
        _maxZeros = 31 - BitOperations.LeadingZeroCount((uint)levels + 1);
        _codes = new ulong[2 * (levels + 1)];
        for (int level = 0; level <= levels; level++)
        {
            uint v = (uint)level + 1;
            int zeros = 31 - BitOperations.LeadingZeroCount(v);
            ulong code = (ulong)Reverse(v, zeros + 1) << zeros;
            int length = 2 * zeros + 1;
            // Level 0 has no sign bit; the others have it after the code.
            _codes[2 * level] = code | (ulong)(length + (level > 0 ? 1 : 0)) << 56;
            _codes[2 * level + 1] = level == 0 ? _codes[0] : code | 1UL << length | (ulong)(length + 1) << 56;
        }
        _reversed = new uint[1 << _maxZeros];
        for (uint m = 0; m < _reversed.Length; m++)
        {
            _reversed[m] = Reverse(m, _maxZeros);
        }
    }

    /// <summary>The symbol <see cref="Write"/> takes for a level and a sign bit.</summary>
    public static uint Symbol(uint level, uint sign) => level << 1 | sign;

    /// <summary>The most bytes <see cref="Write"/> may touch for <paramref name="count"/> values (it stores 8 bytes at a time).</summary>
    public int MostBytes(int count) => (int)(((long)count * (2 * _maxZeros + 2) + 7) / 8) + 8;

    /// <summary>
    /// Writes each value's code from its <see cref="Symbol"/> (level ≤ s, sign sent when the level is above 0); returns the
    /// bytes used, the last padded with zeros. <paramref name="bytes"/> needs <see cref="MostBytes"/>.
    /// </summary>
    public int Write(ReadOnlySpan<uint> symbols, Span<byte> bytes)
    {
        if (bytes.Length < MostBytes(symbols.Length))
        {
            throw new ArgumentException($"Gamma codes: {MostBytes(symbols.Length)} bytes needed, {bytes.Length} given.");
        }
        ref ulong codes = ref MemoryMarshal.GetArrayDataReference(_codes);
        ref byte output = ref MemoryMarshal.GetReference(bytes);
        // Two codes go into the buffer between stores when both fit beside the up to 7 bits left over.
        bool pairs = 2 * (2 * _maxZeros + 2) + 7 <= 64;
        ulong buffer = 0;
        int count = 0, at = 0, i = 0;
        for (; i < symbols.Length; i++)
        {
            buffer |= Code(ref codes, symbols[i], out int length) << count;
            count += length;
            if (pairs && ++i < symbols.Length)
            {
                buffer |= Code(ref codes, symbols[i], out length) << count;
                count += length;
            }
            // Room for this store was checked above: at most MostBytes − 8 bytes are whole.
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, at), BitConverter.IsLittleEndian ? buffer : BinaryPrimitives.ReverseEndianness(buffer));
            int whole = count & ~7;
            at += whole >> 3;
            buffer >>= whole;
            count -= whole;
        }
        if (count > 0)
        {
            at++;
        }
        return at;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Code(ref ulong codes, uint symbol, out int length)
    {
        if (symbol >= (uint)_codes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(symbol), $"Gamma codes: level {symbol >> 1} above s = {_levels}.");
        }
        ulong entry = Unsafe.Add(ref codes, symbol);
        length = (int)(entry >> 56);
        return entry & 0x00FFFFFFFFFFFFFF;
    }

    /// <summary>Reads values.Length codes as level·unit with their signs (0 for level 0); returns the bytes used, the last one's padding included.</summary>
    public int Read(ReadOnlySpan<byte> bytes, float unit, Span<float> values)
    {
        ref uint reversed = ref MemoryMarshal.GetArrayDataReference(_reversed);
        ref byte input = ref MemoryMarshal.GetReference(bytes);
        long bit = 0, end = 8L * bytes.Length;
        int longest = 2 * _maxZeros + 2, left = 0;
        ulong word = 0;
        for (int i = 0; i < values.Length; i++)
        {
            // Several codes come out of one 64-bit load; reload when the longest code might not fit in what is left.
            if (left < longest)
            {
                int at = (int)(bit >> 3);
                word = (at + 8 <= bytes.Length ? ReadWord(ref Unsafe.Add(ref input, at)) : Tail(bytes, at)) >> (int)(bit & 7);
                left = 64 - (int)(bit & 7);
            }
            int zeros = BitOperations.TrailingZeroCount(word);
            if (zeros > _maxZeros)
            {
                throw new FormatException($"QSGD: a level above s = {_levels}.");
            }
            // Level 0 is the one-bit code "1"; any other level has zeros and a sign bit after its code.
            int more = (int)((uint)-zeros >> 31);
            int length = 2 * zeros + 1;
            // After the zeros come v's bits from the top: a 1, then the zeros low bits, reversed here.
            uint low = (uint)(word >> (zeros + 1)) & ((1u << zeros) - 1);
            uint level = (1u << zeros | Unsafe.Add(ref reversed, low) >> (_maxZeros - zeros)) - 1;
            if (level > (uint)_levels)
            {
                throw new FormatException($"QSGD: level {level} above s = {_levels}.");
            }
            uint sign = (uint)(word >> length) & (uint)more;
            // Level 0 is +0 whatever the unit's sign.
            uint magnitude = BitConverter.SingleToUInt32Bits(level * unit) & (0u - (uint)more);
            values[i] = BitConverter.UInt32BitsToSingle(magnitude ^ sign << 31);
            word >>= length + more;
            left -= length + more;
            bit += length + more;
        }
        if (bit > end)
        {
            throw new FormatException("QSGD: the codes run past the end of the message.");
        }
        return (int)((bit + 7) / 8);
    }

    private static ulong ReadWord(ref byte at)
    {
        ulong word = Unsafe.ReadUnaligned<ulong>(ref at);
        return BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
    }

    private static ulong Tail(ReadOnlySpan<byte> bytes, int at)
    {
        ulong word = 0;
        for (int j = 0; at + j < bytes.Length && j < 8; j++)
        {
            word |= (ulong)bytes[at + j] << (8 * j);
        }
        return word;
    }

    private static uint Reverse(uint value, int bits)
    {
        uint r = 0;
        for (int b = 0; b < bits; b++)
        {
            r |= (value >> b & 1) << (bits - 1 - b);
        }
        return r;
    }
}
