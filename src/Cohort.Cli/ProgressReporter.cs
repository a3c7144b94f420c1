using System.Diagnostics;
using System.Globalization;
using Cohort.Federated.Metrics;

namespace Cohort.Cli;

/// <summary>
/// Shows a run's progress: on a terminal one live line (round, accuracy, time per round, ETA) rewritten
/// in place; when output is redirected, one plain line per evaluated round.
/// </summary>
internal sealed class ProgressReporter(TextWriter output, bool live) : IRunCallback
{
    private readonly Stopwatch _clock = new();
    private RunInfo? _info;

    public void OnStart(RunInfo info)
    {
        _info = info;
        _clock.Restart();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{info.Mode}: {info.Model} ({info.Parameters:N0} parameters), {info.Clients} clients, {info.CohortSize} per round, {info.Rounds} rounds, {info.Workers} workers"));
    }

    public void OnRound(RoundMetrics m)
    {
        int rounds = _info?.Rounds ?? m.Round;
        double perRound = _clock.Elapsed.TotalSeconds / Math.Max(1, m.Round);
        var eta = TimeSpan.FromSeconds(perRound * (rounds - m.Round));
        string line = string.Create(CultureInfo.InvariantCulture,
            $"round {m.Round}/{rounds}  test_accuracy {m.TestAccuracy:F4}  test_loss {m.TestLoss:F4}  train_loss {(m.TrainLoss is { } train ? train.ToString("F4", CultureInfo.InvariantCulture) : "none")}  {m.Seconds:F2}s (+{m.EvalSeconds:F2}s eval)  ETA {eta:hh\\:mm\\:ss}");
        if (live)
        {
            output.Write("\r" + line.PadRight(Console.WindowWidth > 1 ? Console.WindowWidth - 1 : 0));
        }
        else
        {
            output.WriteLine(line);
        }
        output.Flush();
    }

    public void OnEnd(RunSummary s)
    {
        if (live)
        {
            output.WriteLine();
        }
        string target = s.TargetAccuracy is { } t
            ? string.Create(CultureInfo.InvariantCulture, $", target {t:F4} {(s.RoundsToTarget is { } r ? $"reached at round {r}" : "not reached")}")
            : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"done: {s.RoundsRun} rounds, final test_accuracy {s.FinalTestAccuracy:F4}, best {s.BestTestAccuracy:F4}{target}, {s.TotalSeconds:F1}s in all ({s.TrainingSeconds:F1}s training)"));
        foreach (var (key, value) in s.Statements)
        {
            output.WriteLine($"{key}: {value}");
        }
    }
}
