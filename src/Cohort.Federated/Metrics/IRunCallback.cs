namespace Cohort.Federated.Metrics;

/// <summary>Hears about a run as it goes: each evaluated round and the end (writers, progress, checkpoints).</summary>
public interface IRunCallback
{
    void OnStart(RunInfo info)
    {
    }

    void OnRound(RoundMetrics metrics);

    void OnEnd(RunSummary summary)
    {
    }
}

/// <summary>What is known when a run starts.</summary>
public sealed record RunInfo(string Mode, string Model, int Rounds, int Clients, int CohortSize, int Parameters, int Workers);
