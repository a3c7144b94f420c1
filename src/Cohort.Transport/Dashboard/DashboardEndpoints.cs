using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace Cohort.Transport.Dashboard;

/// <summary>
/// The live dashboard at / (one page shipped inside the assembly, no external assets) and the
/// status it polls at /status.json. Both are read-only and need no credential: they show progress,
/// metrics and client ids, never data or tokens.
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Cohort.Transport.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("the dashboard page is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static void Map(WebApplication app, ServerView view)
    {
        app.MapGet("/", async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'";
            await context.Response.Body.WriteAsync(Page.Value, context.RequestAborted);
        });
        app.MapGet("/status.json", async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers.CacheControl = "no-store";
            await using var json = new Utf8JsonWriter(context.Response.Body);
            StatusJson.Write(json, view);
            await json.FlushAsync(context.RequestAborted);
        });
    }
}
