namespace Cohort.Transport.Server;

/// <summary>
/// When a deployed round closes: when as many updates as the cohort's size are on record, or, with a
/// deadline, when it passes and at least <see cref="MinClients"/> are (until then the round waits on).
/// <see cref="OverSelect"/> sends tasks to that fraction more registered clients, so dropouts do not stall a round.
/// </summary>
internal sealed record RoundRules(TimeSpan? Deadline, int MinClients, double OverSelect = 0)
{
    public static RoundRules WaitForAll { get; } = new(null, 1);
}
