using System.Globalization;
using System.Net;

namespace Cohort.Reporting;

/// <summary>Text for the report: escaping of everything taken from files, and numbers in invariant culture.</summary>
internal static class Html
{
    /// <summary>Escapes &lt; &gt; &amp; " and ', so file contents stay text in elements and attributes alike.</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>SVG coordinates: short, invariant, never exponential.</summary>
    public static string Coord(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A number to read: up to four significant digits, or — where there is none.</summary>
    public static string Number(double v) => !double.IsFinite(v) ? "—"
        : v == Math.Floor(v) && Math.Abs(v) < 1e15 ? v.ToString("0", CultureInfo.InvariantCulture)
        : v.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>A byte count with a binary unit.</summary>
    public static string Bytes(double v) => Scaled(v, 1024, ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]);

    /// <summary>A byte count with a decimal unit (kB = 1000 B): ticks of a logarithmic axis read 1 MB, 10 MB, …</summary>
    public static string DecimalBytes(double v) => Scaled(v, 1000, ["B", "kB", "MB", "GB", "TB", "PB"]);

    private static string Scaled(double v, double step, string[] units)
    {
        int u = 0;
        while (Math.Abs(v) >= step && u < units.Length - 1)
        {
            v /= step;
            u++;
        }
        return (u == 0 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture)) + " " + units[u];
    }
}
