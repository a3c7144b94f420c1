namespace Cohort.Transport.Server;

/// <summary>
/// When a deployed round closes: when every sampled client has reported, or, with a deadline, when
/// it passes and at least <see cref="MinClients"/> have reported (until then the round waits on).
/// </summary>
public sealed record RoundRules(TimeSpan? Deadline, int MinClients)
{
    public static RoundRules WaitForAll { get; } = new(null, 1);
}
