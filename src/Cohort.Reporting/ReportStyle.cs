namespace Cohort.Reporting;

/// <summary>The report's inline stylesheet: system fonts only, so the page needs nothing from the network.</summary>
internal static class ReportStyle
{
    public const string Css = """

        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 800px; padding: 0 1rem; color: #222; }
        h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
        code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; }
        .path, .note { color: #666; font-size: 0.9rem; }
        table.summary { border-collapse: collapse; } table.summary th, table.summary td { padding: 0.2rem 0.8rem; border-bottom: 1px solid #eee; text-align: left; }
        table.summary td { font-variant-numeric: tabular-nums; }
        figure { margin: 1rem 0; } figcaption { color: #444; font-size: 0.9rem; text-align: center; }
        svg.chart { width: 100%; height: auto; font-size: 12px; }
        svg .grid { stroke: #eee; } svg .axis { stroke: #888; } svg .frame { fill: none; stroke: #888; }
        svg .tick { fill: #555; font-size: 11px; } svg .label, svg .legend { fill: #333; font-size: 12px; }
        pre.config, pre.table { background: #f7f7f7; padding: 0.8rem; overflow-x: auto; font-size: 0.85rem; }

        """;
}
