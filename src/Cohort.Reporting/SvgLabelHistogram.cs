using System.Globalization;
using System.Text;
using Cohort.Federated.Outputs;

namespace Cohort.Reporting;

/// <summary>
/// The partition's training labels per client as inline SVG: a stacked bar per client when clients and
/// classes are few enough to tell apart, else a heat map of each client's label shares.
/// </summary>
internal static class SvgLabelHistogram
{
    public const int MaxBarClients = 50, MaxBarClasses = 20, MaxHeatMapClients = 500;
    private const double Width = 720, Left = 72, Right = 16, Top = 34, Bottom = 44;

    /// <summary>Categorical colors, distinguishable side by side (Tableau 20).</summary>
    private static readonly string[] Palette =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
    ];

    public static bool UsesBars(PartitionSummary p) => p.Clients.Count <= MaxBarClients && p.Classes <= MaxBarClasses;

    public static string Render(PartitionSummary partition) => UsesBars(partition) ? StackedBars(partition) : HeatMap(partition);

    private static string StackedBars(PartitionSummary p)
    {
        const double height = 340;
        double plotW = Width - Left - Right, plotH = height - Top - Bottom - 20;
        var y = ChartAxis.For(p.Clients.Select(c => (double)c.TrainSize).Append(0));
        double slot = plotW / Math.Max(1, p.Clients.Count), bar = Math.Max(1, slot * 0.8);
        var sb = Open(height, "training labels per client");
        foreach (double t in y.Ticks())
        {
            double ty = Top + (1 - y.Fraction(t)) * plotH;
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Html.Coord(ty)}\" y2=\"{Html.Coord(ty)}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{Left - 6}\" y=\"{Html.Coord(ty + 4)}\" text-anchor=\"end\">{Html.Number(t)}</text>");
        }
        for (int i = 0; i < p.Clients.Count; i++)
        {
            var c = p.Clients[i];
            double x = Left + i * slot + (slot - bar) / 2, base_ = Top + plotH;
            for (int label = 0; label < p.Classes; label++)
            {
                int n = c.TrainLabels[label];
                if (n == 0)
                {
                    continue;
                }
                double h = n / (y.Max - y.Min) * plotH;
                base_ -= h;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Html.Coord(x)}\" y=\"{Html.Coord(base_)}\" width=\"{Html.Coord(bar)}\" height=\"{Html.Coord(h)}\" fill=\"{Palette[label % Palette.Length]}\">");
                sb.Append(CultureInfo.InvariantCulture, $"<title>{ClientName(c)}, label {label}: {n}</title></rect>");
            }
            if (p.Clients.Count <= 25 || i % 5 == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{Html.Coord(x + bar / 2)}\" y=\"{Html.Coord(Top + plotH + 14)}\" text-anchor=\"middle\">{c.Client}</text>");
            }
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{Html.Coord(Left + plotW / 2)}\" y=\"{Html.Coord(Top + plotH + 32)}\" text-anchor=\"middle\">client</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" transform=\"translate(14 {Html.Coord(Top + plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">training samples</text>");
        double at = Left;
        for (int label = 0; label < p.Classes; label++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Html.Coord(at)}\" y=\"{height - 22}\" width=\"12\" height=\"12\" fill=\"{Palette[label % Palette.Length]}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"legend\" x=\"{Html.Coord(at + 16)}\" y=\"{height - 12}\">{label}</text>");
            at += 32;
        }
        return sb.Append("</svg>").ToString();
    }

    private static string HeatMap(PartitionSummary p)
    {
        int shown = Math.Min(p.Clients.Count, MaxHeatMapClients);
        double plotW = Width - Left - Right;
        double cellH = Math.Clamp(240.0 / Math.Max(1, p.Classes), 2, 16), plotH = cellH * p.Classes;
        double height = Top + plotH + Bottom, cellW = plotW / Math.Max(1, shown);
        var sb = Open(height, "share of each label in each client's training data");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"legend\" x=\"{Left}\" y=\"20\">darker = larger share of the client's training samples</text>");
        for (int i = 0; i < shown; i++)
        {
            var c = p.Clients[i];
            double total = Math.Max(1, c.TrainSize);
            for (int label = 0; label < p.Classes; label++)
            {
                int n = c.TrainLabels[label];
                if (n == 0)
                {
                    continue;
                }
                double share = n / total;
                // Lightness falls with the share: 95% (none) to 25% (all of the client's samples).
                string fill = $"hsl(212,70%,{Html.Coord(95 - 70 * share)}%)";
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Html.Coord(Left + i * cellW)}\" y=\"{Html.Coord(Top + label * cellH)}\" width=\"{Html.Coord(Math.Max(cellW, 0.5))}\" height=\"{Html.Coord(cellH)}\" fill=\"{fill}\">");
                sb.Append(CultureInfo.InvariantCulture, $"<title>{ClientName(c)}, label {label}: {n} ({Html.Number(100 * share)}%)</title></rect>");
            }
        }
        sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"frame\" x=\"{Left}\" y=\"{Top}\" width=\"{Html.Coord(plotW)}\" height=\"{Html.Coord(plotH)}\"/>");
        string clients = shown < p.Clients.Count ? $"client (first {shown} of {p.Clients.Count})" : "client";
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{Left}\" y=\"{Html.Coord(Top + plotH + 14)}\" text-anchor=\"start\">0</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{Width - Right}\" y=\"{Html.Coord(Top + plotH + 14)}\" text-anchor=\"end\">{shown - 1}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{Html.Coord(Left + plotW / 2)}\" y=\"{Html.Coord(Top + plotH + 32)}\" text-anchor=\"middle\">{clients}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" transform=\"translate(14 {Html.Coord(Top + plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">label</text>");
        return sb.Append("</svg>").ToString();
    }

    private static StringBuilder Open(double height, string title) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Html.Coord(height)}\" role=\"img\" aria-label=\"{Html.Escape(title)}\">");

    private static string ClientName(ClientShare c) => Html.Escape(c.Name is null ? $"client {c.Client}" : $"client {c.Client} ({c.Name})");
}
