using Cohort.Federated.Config;

namespace Cohort.Federated.Sweeps;

/// <summary>One grid point of a sweep: its finished runs' outcomes (one per seed) and how many runs failed.</summary>
internal sealed record SweepRow(GridPoint Point, IReadOnlyList<RunOutcome> Runs, int Failed);
