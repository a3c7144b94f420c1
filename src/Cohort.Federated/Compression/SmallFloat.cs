using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Simd;

namespace Cohort.Federated.Compression;

/// <summary>
/// An 8-bit float with the given exponent and mantissa widths (bias 2^(e−1) − 1). Encoding rounds to
/// nearest even, subnormals included, and saturates finite overflow; decoding is a 256-entry table.
/// With IEEE specials the top exponent holds infinities and NaN; without, only S.1111.111 is NaN.
/// <see cref="EncodeAll"/> rounds 32 values a step with integer and float bit tricks instead and must
/// match <see cref="Encode"/> bit for bit (tests).
/// </summary>
internal sealed class SmallFloat
{
    private readonly int _mantissaBits;
    private readonly int _bias;
    private readonly bool _ieee;
    private readonly float[] _table = new float[256];

    public SmallFloat(int exponentBits, int mantissaBits, bool ieeeSpecials)
    {
        _mantissaBits = mantissaBits;
        _bias = (1 << (exponentBits - 1)) - 1;
        _ieee = ieeeSpecials;
        int topExponent = (1 << exponentBits) - 1, mantissaMask = (1 << mantissaBits) - 1;
        for (int code = 0; code < 256; code++)
        {
            int sign = code >> 7, exponent = (code >> mantissaBits) & topExponent, mantissa = code & mantissaMask;
            double magnitude;
            if (exponent == topExponent && (_ieee || mantissa == mantissaMask))
            {
                magnitude = _ieee && mantissa == 0 ? double.PositiveInfinity : double.NaN;
            }
            else if (exponent == 0)
            {
                magnitude = Math.ScaleB(mantissa, 1 - _bias - mantissaBits);
            }
            else
            {
                magnitude = Math.ScaleB(mantissa + (1 << mantissaBits), exponent - _bias - mantissaBits);
            }
            _table[code] = (float)(sign == 1 ? -magnitude : magnitude);
        }
        MaxCode = _ieee ? (uint)((topExponent - 1) << mantissaBits | mantissaMask) : (uint)(topExponent << mantissaBits | (mantissaMask - 1));
        Max = _table[MaxCode];
    }

    /// <summary>The largest finite value.</summary>
    public float Max { get; }

    private uint MaxCode { get; }

    public float Decode(uint code) => _table[code & 0xFF];

    public void DecodeAll(ReadOnlySpan<byte> codes, Span<float> values)
    {
        var table = _table.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = table[codes[i]];
        }
    }

    public void EncodeAll(ReadOnlySpan<float> values, Span<byte> codes) =>
        BlockLoop.Run(new EncodeStep(this, values, codes[..values.Length]), values.Length);

    /// <summary>The codes of eight floats given as bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<uint> EncodeEight(Vector256<uint> bits)
    {
        int dropped = 23 - _mantissaBits;
        var magnitude = bits & Vector256.Create(0x7FFFFFFFu);
        // Normal results: round the float's bits to nearest even at the code's precision, then rebias the exponent.
        var normal = ((magnitude + Vector256.Create((1u << (dropped - 1)) - 1) + ((magnitude >> dropped) & Vector256<uint>.One)) >> dropped)
            - Vector256.Create((uint)(127 - _bias) << _mantissaBits);
        // Subnormal results: adding 2^k whose unit in the last place is the code's quantum makes the float adder round
        // to nearest even; the bits above 2^k's are the count of quanta (2^m of them is the smallest normal, as it should be).
        var magic = Vector256.Create((uint)(127 - _bias + dropped + 1) << 23);
        var subnormal = (magnitude.AsSingle() + magic.AsSingle()).AsUInt32() - magic;
        var small = Vector256.LessThan(magnitude.AsInt32(), Vector256.Create((128 - _bias) << 23)).AsUInt32();
        var code = Vector256.Min(Vector256.ConditionalSelect(small, subnormal, normal), Vector256.Create(MaxCode));
        var infinity = Vector256.Equals(magnitude, Vector256.Create(0x7F800000u));
        var nan = Vector256.GreaterThan(magnitude.AsInt32(), Vector256.Create(0x7F800000)).AsUInt32();
        code = Vector256.ConditionalSelect(infinity, Vector256.Create(_ieee ? MaxCode + 1 : MaxCode), code);
        code = Vector256.ConditionalSelect(nan, Vector256.Create(0x7Fu), code);
        return code | ((bits >> 24) & Vector256.Create(0x80u));
    }

    public uint Encode(float value)
    {
        uint sign = BitConverter.SingleToUInt32Bits(value) >> 31 << 7;
        if (float.IsNaN(value))
        {
            return sign | 0x7F;
        }
        double a = Math.Abs((double)value);
        if (double.IsInfinity(a))
        {
            return sign | (_ieee ? MaxCode + 1 : MaxCode);
        }
        int minExponent = 1 - _bias;
        int exponent = a == 0 ? minExponent : Math.Max(Math.ILogB(a), minExponent);
        // a / quantum is exact (a power-of-two scaling), so this rounds once, to nearest even.
        double units = Math.Round(Math.ScaleB(a, _mantissaBits - exponent), MidpointRounding.ToEven);
        double rounded = Math.ScaleB(units, exponent - _mantissaBits);
        if (rounded >= Max)
        {
            return sign | MaxCode;
        }
        if (rounded < Math.ScaleB(1.0, minExponent))
        {
            return sign | (uint)units;
        }
        int e = Math.ILogB(rounded);
        uint mantissa = (uint)Math.ScaleB(rounded, _mantissaBits - e) - (1u << _mantissaBits);
        return sign | (uint)(e + _bias) << _mantissaBits | mantissa;
    }

    private readonly ref struct EncodeStep(SmallFloat format, ReadOnlySpan<float> values, Span<byte> codes) : IBlockOperator
    {
        private readonly ReadOnlySpan<float> _values = values;
        private readonly Span<byte> _codes = codes;

        public static int Width => 32;

        public void Vector(int i)
        {
            ref uint v = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(_values));
            var low = Vector256.Narrow(format.EncodeEight(Vector256.LoadUnsafe(ref v, (nuint)i)), format.EncodeEight(Vector256.LoadUnsafe(ref v, (nuint)i + 8)));
            var high = Vector256.Narrow(format.EncodeEight(Vector256.LoadUnsafe(ref v, (nuint)i + 16)), format.EncodeEight(Vector256.LoadUnsafe(ref v, (nuint)i + 24)));
            Vector256.Narrow(low, high).StoreUnsafe(ref MemoryMarshal.GetReference(_codes), (nuint)i);
        }

        public void Scalar(int i) => _codes[i] = (byte)format.Encode(_values[i]);
    }
}
