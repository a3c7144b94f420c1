using System.Runtime.CompilerServices;

namespace Cohort.Tensors.Random;

/// <summary>
/// A stream of random numbers identified by (seed, ids…): the key and the upper half of the Philox
/// counter are derived from them, the lower half counts blocks. Streams with different ids are
/// independent, and a stream's n-th number does not depend on what other streams drew, so results
/// do not depend on thread count or ordering.
/// </summary>
public struct RandomStream
{
    private readonly uint _k0, _k1, _c2, _c3;
    private ulong _block;
    private uint _r0, _r1, _r2, _r3;
    private int _used;

    private RandomStream(ulong key, ulong stream)
    {
        _k0 = (uint)key;
        _k1 = (uint)(key >> 32);
        _c2 = (uint)stream;
        _c3 = (uint)(stream >> 32);
        _block = 0;
        _r0 = _r1 = _r2 = _r3 = 0;
        _used = 4;
    }

    /// <summary>A stream for a seed and any number of ids (round, client, purpose, …).</summary>
    public static RandomStream Create(ulong seed, params ReadOnlySpan<long> ids)
    {
        ulong key = SplitMix(seed ^ 0x6A09E667F3BCC908UL);
        ulong stream = SplitMix(seed + 0xBB67AE8584CAA73BUL);
        foreach (long id in ids)
        {
            key = SplitMix(key ^ (ulong)id);
            stream = SplitMix(stream + (ulong)id * 0x9E3779B97F4A7C15UL + 1);
        }
        return new RandomStream(key, stream);
    }

    /// <summary>Stable 64-bit id for a purpose name, for use as a stream id.</summary>
    public static long Purpose(string name)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (char ch in name)
        {
            h = (h ^ ch) * 0x100000001B3UL;
        }
        return (long)h;
    }

    /// <summary>Moves the stream to the given block (4 numbers per block).</summary>
    public void Seek(ulong block)
    {
        _block = block;
        _used = 4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextUInt32()
    {
        if (_used == 4)
        {
            Refill();
        }
        uint value = _used switch { 0 => _r0, 1 => _r1, 2 => _r2, _ => _r3 };
        _used++;
        return value;
    }

    /// <summary>Fills <paramref name="values"/> with the next numbers, the same as calling <see cref="NextUInt32"/> for each, whole blocks at a time.</summary>
    public void Fill(Span<uint> values)
    {
        int i = 0;
        while (_used < 4 && i < values.Length)
        {
            values[i++] = NextUInt32();
        }
        int whole = (values.Length - i) / 4 * 4;
        PhiloxBlocks.Fill(_block, _c2, _c3, _k0, _k1, values.Slice(i, whole));
        _block += (ulong)(whole / 4);
        for (i += whole; i < values.Length; i++)
        {
            values[i] = NextUInt32();
        }
    }

    public ulong NextUInt64() => ((ulong)NextUInt32() << 32) | NextUInt32();

    /// <summary>Uniform in [0, 1) with 24 bits of precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextFloat() => (NextUInt32() >> 8) * (1.0f / 16777216.0f);

    /// <summary>Uniform in [0, 1) with 53 bits of precision.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Uniform in [low, high).</summary>
    public float NextUniform(float low, float high) => low + (high - low) * NextFloat();

    /// <summary>Unbiased integer in [0, n) (Lemire's multiply-and-reject).</summary>
    public int NextInt(int n)
    {
        if (n <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), $"NextInt needs a positive bound; got {n}.");
        }
        uint bound = (uint)n;
        ulong m = (ulong)NextUInt32() * bound;
        if ((uint)m < bound)
        {
            uint threshold = (uint)(-bound) % bound;
            while ((uint)m < threshold)
            {
                m = (ulong)NextUInt32() * bound;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>Standard normal by Box-Muller, computed in double precision.</summary>
    public float NextNormal()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    public void FillUniform(Span<float> values, float low, float high)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = NextUniform(low, high);
        }
    }

    public void FillNormal(Span<float> values, float mean, float std)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = mean + std * NextNormal();
        }
    }

    /// <summary>Fisher-Yates shuffle.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private void Refill()
    {
        (_r0, _r1, _r2, _r3) = Philox.Block((uint)_block, (uint)(_block >> 32), _c2, _c3, _k0, _k1);
        _block++;
        _used = 0;
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
