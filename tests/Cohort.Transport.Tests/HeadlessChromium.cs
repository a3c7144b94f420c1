using System.Diagnostics;

namespace Cohort.Transport.Tests;

/// <summary>Debian's chromium, headless: the page's DOM after its scripts ran, and a screenshot. ./test.sh installs chromium when it is missing.</summary>
public static class HeadlessChromium
{
    public static string Path { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("chromium is not installed (./test.sh installs Debian's chromium package).");

    public static async Task<string> DumpDom(Uri page, string profile, CancellationToken cancel) =>
        await Run(page, profile, "--dump-dom", cancel);

    public static async Task Screenshot(Uri page, string profile, string png, CancellationToken cancel) =>
        await Run(page, profile, $"--screenshot={png}", cancel);

    private static async Task<string> Run(Uri page, string profile, string action, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The test's certificate authority is not the system's; the page's scripts get a few seconds of virtual time to poll and draw.
        foreach (string a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--ignore-certificate-errors", $"--user-data-dir={profile}", "--window-size=1100,900", "--virtual-time-budget=4000", action, page.ToString() })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancel);
        var errors = process.StandardError.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"chromium exited {process.ExitCode}: {await errors}");
    }
}
