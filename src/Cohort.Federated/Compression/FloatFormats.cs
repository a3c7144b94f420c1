using System.Runtime.Intrinsics;

namespace Cohort.Federated.Compression;

/// <summary>Conversions shared by the formats.</summary>
internal static class FloatFormats
{
    /// <summary>A float's bits without the low <paramref name="dropped"/> ones, rounded to nearest even; NaN keeps a quiet bit.</summary>
    public static uint TruncateRounded(float value, int dropped)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (bits >> dropped) | (1u << (22 - dropped));
        }
        // Adding half a unit minus one, plus the kept lowest bit, rounds ties to even; a carry rounds up into the exponent (to infinity at the top).
        bits += (1u << (dropped - 1)) - 1 + ((bits >> dropped) & 1);
        return bits >> dropped;
    }

    /// <summary><see cref="TruncateRounded(float, int)"/> of eight floats' bits.</summary>
    public static Vector256<uint> TruncateRounded(Vector256<uint> bits, int dropped)
    {
        // |x| above the infinity pattern is NaN; the masked bits fit a signed compare.
        var nan = Vector256.GreaterThan((bits & Vector256.Create(0x7FFFFFFFu)).AsInt32(), Vector256.Create(0x7F800000)).AsUInt32();
        var kept = bits >> dropped;
        var rounded = (bits + Vector256.Create((1u << (dropped - 1)) - 1) + (kept & Vector256<uint>.One)) >> dropped;
        return Vector256.ConditionalSelect(nan, kept | Vector256.Create(1u << (22 - dropped)), rounded);
    }
}
