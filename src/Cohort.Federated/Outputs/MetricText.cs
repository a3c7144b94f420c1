using System.Globalization;

namespace Cohort.Federated.Outputs;

/// <summary>How metric values are written as text: invariant culture, shortest round-trip form, integers without decimals, NaN and infinities as absent.</summary>
internal static class MetricText
{
    /// <summary>Whole numbers below this are exact in a double, so they print as integers.</summary>
    private const double ExactIntegers = 9007199254740992d;

    /// <summary>The value as a JSON/CSV number, or null where it has none (NaN, ±∞).</summary>
    public static string? Format(double value)
    {
        if (!double.IsFinite(value))
        {
            return null;
        }
        if (value == Math.Floor(value) && Math.Abs(value) < ExactIntegers)
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>The value as a JSON token: a number or <c>null</c>.</summary>
    public static string Json(double value) => Format(value) ?? "null";

    public static string Json(double? value) => value is { } v ? Json(v) : "null";
}
