using Cohort.Federated.Engine;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>
/// Late uploads for an asynchronous method (FedBuff): an update computed from an earlier round's model,
/// for a task that round issued and did not take, goes into the open round tagged with its version, while
/// it is no more than the method's max_staleness rounds old; the round loop weights it by its staleness.
/// A synchronous run takes only the open round's uploads (any other gets 409).
/// </summary>
internal sealed partial class RemoteCohort
{
    // The task tables of closed rounds whose uploads may still be taken, by round.
    private readonly Dictionary<int, IReadOnlyDictionary<int, Assignment>> _earlier = [];

    /// <summary>How uploads computed from earlier rounds' models are taken (null: synchronous, they are refused).</summary>
    public Asynchrony? Asynchrony { get; init; }

    /// <summary>Keeps a closed exchange's tasks while its late uploads may be taken; drops those now too stale (called under the gate).</summary>
    private void KeepForLateUploads(OpenRound closed)
    {
        if (Asynchrony is not { } asynchrony)
        {
            return;
        }
        _earlier[closed.Round] = closed.Tasks;
        foreach (int round in _earlier.Keys.Where(r => !asynchrony.Takes(closed.Round + 1 - r)).ToList())
        {
            _earlier.Remove(round);
        }
    }

    /// <summary>Whether the open exchange takes an upload tagged with an earlier round (called under the gate).</summary>
    private bool TakesLate(OpenRound open, UpdateHeader header) =>
        Asynchrony is { } asynchrony && header.Round < open.Round && asynchrony.Takes(open.Round - header.Round) && _earlier.ContainsKey(header.Round);
}
