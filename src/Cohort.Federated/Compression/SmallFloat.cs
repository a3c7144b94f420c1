namespace Cohort.Federated.Compression;

/// <summary>
/// An 8-bit float with the given exponent and mantissa widths (bias 2^(e−1) − 1). Encoding rounds to
/// nearest even, subnormals included, and saturates finite overflow; decoding is a 256-entry table.
/// With IEEE specials the top exponent holds infinities and NaN; without, only S.1111.111 is NaN.
/// </summary>
public sealed class SmallFloat
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
}
