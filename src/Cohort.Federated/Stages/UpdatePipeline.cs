using Cohort.Federated.Algorithms;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Stages;

/// <summary>An ordered list of stages: client hooks in order, server hooks (per update, at the exchange's end and on the aggregate) in reverse.</summary>
public sealed class UpdatePipeline(IReadOnlyList<IUpdateStage> stages)
{
    public static UpdatePipeline Empty { get; } = new([]);

    public IReadOnlyList<IUpdateStage> Stages { get; } = stages;

    /// <summary>Whether a per-update server hook writes to the update (it then needs a copy of its own).</summary>
    public bool ChangesReceived { get; } = stages.Any(s => s.ChangesReceived);

    /// <summary>Runs the client hooks; returns the uplink bytes of the final encoding (4 bytes a value when no stage encodes).</summary>
    public long OnClient(StageContext context, Span<float> update)
    {
        long bytes = 4L * update.Length;
        foreach (var stage in Stages)
        {
            long encoded = stage.OnClient(context, update);
            bytes = encoded == IUpdateStage.KeepsEncoding ? bytes : encoded;
        }
        return bytes;
    }

    /// <summary>Runs the per-update server hooks in reverse; false as soon as one refuses the update.</summary>
    public bool OnReceived(StageContext context, Span<float> update)
    {
        for (int i = Stages.Count - 1; i >= 0; i--)
        {
            if (!Stages[i].OnReceived(context, update))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether a stage keeps the received update back (asked before the per-update hooks).</summary>
    public bool Holds(StageContext context, ReadOnlySpan<float> update)
    {
        for (int i = Stages.Count - 1; i >= 0; i--)
        {
            if (Stages[i].Holds(context, update))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Lets each stage hand on what it held, in reverse order; returns how many updates they handed on.</summary>
    public int OnExchangeEnd(StageContext context, HeldUpdateSink release)
    {
        int released = 0;
        for (int i = Stages.Count - 1; i >= 0; i--)
        {
            released += Stages[i].OnExchangeEnd(context, release);
        }
        return released;
    }

    public void OnServer(StageContext context, Span<float> aggregate)
    {
        for (int i = Stages.Count - 1; i >= 0; i--)
        {
            Stages[i].OnServer(context, aggregate);
        }
    }

    public void BeginRound(int round)
    {
        foreach (var stage in Stages)
        {
            stage.BeginRound(round);
        }
    }

    public void Report(RoundMetrics metrics)
    {
        foreach (var stage in Stages)
        {
            stage.Report(metrics);
        }
    }

    /// <summary>The first stage's reason to stop before <paramref name="round"/>, or null.</summary>
    internal string? StopsBefore(int round, ServerState server) => Stages.Select(s => s.StopsBefore(round, server)).FirstOrDefault(reason => reason is not null);

    /// <summary>Every stage's statements for the run's summary, in stage order.</summary>
    internal IReadOnlyList<(string Key, string Value)> Statements(ServerState server) => [.. Stages.SelectMany(s => s.Statements(server))];
}
