namespace Cohort.Federated.Diagnostics;

/// <summary>
/// When and on how many clients the gradient diagnostics (ζ², σ²) are measured. Their pass over each
/// sampled client's data costs about one local epoch, so by default a few clients are measured at
/// every k-th evaluation and at the last round; <c>diagnostics.clients</c> and <c>diagnostics.every</c>
/// buy the full measurement back. Drift and update norms come from the training itself and are
/// recorded at every evaluated round.
/// </summary>
/// <param name="Clients">Clients sampled for ζ² and σ² (0: all diagnostics off).</param>
/// <param name="Every">Measure ζ² and σ² at every k-th evaluation (and at the last round).</param>
internal sealed record DiagnosticsSchedule(int Clients, int Every)
{
    public static DiagnosticsSchedule Off { get; } = new(0, 1);

    public bool Enabled => Clients > 0;

    /// <summary>True when round <paramref name="round"/>, an evaluated one, also measures ζ² and σ².</summary>
    public bool MeasuresGradients(int round, int evalEvery, int rounds) =>
        Enabled && (round % ((long)evalEvery * Every) == 0 || round == rounds);
}
