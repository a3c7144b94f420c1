using System.ComponentModel;
using System.Diagnostics;

namespace Cohort.Data.Fetch;

/// <summary>Finds programs on PATH and runs them, turning every failure into a one-line <see cref="FetchException"/>.</summary>
internal static class ExternalTool
{
    /// <summary>The program's full path when it is on PATH, else null.</summary>
    public static string? Find(string name)
    {
        string[] suffixes = OperatingSystem.IsWindows() ? [".exe", ".cmd", ".bat", ""] : [""];
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string suffix in suffixes)
            {
                string candidate = Path.Combine(dir, name + suffix);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /// <summary>Runs the program in a folder; returns its standard output, or throws with the last line of its error output.</summary>
    public static string Run(string program, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        string command = $"{Path.GetFileName(program)} {string.Join(' ', arguments)}";
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new FetchException($"'{command}' could not start: {e.Message}.");
        }
        process.StandardInput.Close(); // never wait for a prompt
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new FetchException($"'{command}' did not finish within {timeout.TotalMinutes:0} minutes.");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            string reason = Reason(stderr.Result) ?? Reason(stdout.Result) ?? "no output";
            throw new FetchException($"'{command}' failed (exit code {process.ExitCode}): {reason}");
        }
        return stdout.Result;
    }

    /// <summary>
    /// The most telling line of a tool's error output: npm prints a FetchError with the reason after a
    /// code line and before a log-file hint, apt prefixes errors with "E:"; warnings are skipped.
    /// </summary>
    private static string? Reason(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("npm warn", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("W:", StringComparison.Ordinal))
            .ToList();
        return lines.FirstOrDefault(l => l.Contains("reason:", StringComparison.Ordinal) || l.StartsWith("E:", StringComparison.Ordinal))
            ?? lines.FirstOrDefault();
    }
}
