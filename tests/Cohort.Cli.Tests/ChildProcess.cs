using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cohort.Cli.Tests;

/// <summary>The cohort command in a process of its own, with its output lines collected, so a test can wait for a line and kill it at that moment.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    public ChildProcess(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "cohort"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the cohort command.");
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join("\n", _lines);

    /// <summary>
    /// Waits until a progress line "round N/…" with N ≥ <paramref name="round"/> has been written: a
    /// resumed server may already be past the round the test waits for.
    /// </summary>
    public async Task WaitForRound(int round, CancellationToken cancel)
    {
        while (!_lines.Any(l => RoundOf(l) >= round))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the process ended (exit {_process.ExitCode}) before reaching round {round}:\n{Output}");
            }
            await Task.Delay(10, cancel);
        }
    }

    private static int RoundOf(string line)
    {
        if (!line.StartsWith("round ", StringComparison.Ordinal))
        {
            return -1;
        }
        int slash = line.IndexOf('/', StringComparison.Ordinal);
        return slash > 6 && int.TryParse(line.AsSpan(6, slash - 6), System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : -1;
    }

    public async Task<int> ExitCode(CancellationToken cancel)
    {
        await _process.WaitForExitAsync(cancel);
        return _process.ExitCode;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been written.</summary>
    public async Task WaitForLine(string text, CancellationToken cancel)
    {
        while (!_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the process ended (exit {_process.ExitCode}) before writing '{text}':\n{Output}");
            }
            await Task.Delay(10, cancel);
        }
    }

    /// <summary>Asks the process to stop with SIGTERM, as a service manager does.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Ends the process at once, as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
