using Cohort.Federated.Algorithms;

namespace Cohort.Federated.Aggregation;

/// <summary>
/// What an aggregator may draw on in a round: its number and the run's seed (random steps such as
/// bucketing), the model the updates start from, the server's state (where a rule declares what it
/// carries across rounds, so checkpoints hold it), and the loss of a server batch of a given size
/// drawn for this round (suspicion-based rules such as Zeno).
/// </summary>
public sealed record AggregationRound(int Round, ulong Seed, float[] Global, ServerState Server, Func<int, Func<float[], double>> ServerBatchLoss);
