namespace Cohort.Federated.Metrics;

/// <summary>One evaluated round: the fields of metrics.jsonl (DESIGN.md), plus method diagnostics in <see cref="Extra"/>.</summary>
public sealed class RoundMetrics
{
    public int Round { get; init; }
    public double TestAccuracy { get; init; }
    public double TestLoss { get; init; }
    /// <summary>The training loss of the round's clients, weighted by their samples; null (written as null) when none held a training sample.</summary>
    public double? TrainLoss { get; init; }
    /// <summary>Wall-clock seconds of the round's training, communication and aggregation (evaluation excluded).</summary>
    public double Seconds { get; init; }
    public double EvalSeconds { get; set; }
    public long BytesUp { get; init; }
    public long BytesDown { get; init; }
    public int Clients { get; init; }
    public ClientStatistics ClientAccuracy { get; init; }
    public SortedDictionary<string, double> Extra { get; } = new(StringComparer.Ordinal);

    /// <summary>The fields in file order: name and value (NaN is written as null).</summary>
    public IEnumerable<(string Name, double Value)> Fields()
    {
        yield return ("round", Round);
        yield return ("test_accuracy", TestAccuracy);
        yield return ("test_loss", TestLoss);
        yield return ("train_loss", TrainLoss ?? double.NaN);
        yield return ("seconds", Seconds);
        yield return ("eval_seconds", EvalSeconds);
        yield return ("bytes_up", BytesUp);
        yield return ("bytes_down", BytesDown);
        yield return ("clients", Clients);
        yield return ("client_accuracy_mean", ClientAccuracy.Mean);
        yield return ("client_accuracy_std", ClientAccuracy.Std);
        yield return ("client_accuracy_p10", ClientAccuracy.P10);
        yield return ("client_accuracy_worst", ClientAccuracy.Worst);
        foreach (var (k, v) in Extra)
        {
            yield return (k, v);
        }
    }

    /// <summary>Fields that are measurements of time, and so differ between identical runs.</summary>
    public static bool IsTiming(string field) => field is "seconds" or "eval_seconds";
}
