namespace Cohort.Transport.Durability;

/// <summary>
/// What a deployed round loop records so that a restarted server resumes where it was: the server's
/// state as each round opens, and accepted updates together with the aggregate that holds them.
/// </summary>
internal interface IRoundJournal
{
    /// <summary>Called as a round opens: the rounds before it are complete and their result final.</summary>
    void RoundOpening(int round);

    /// <summary>Restores the aggregate of a round that was open when the server stopped; returns the updates it holds (none for a fresh round).</summary>
    IReadOnlyList<AcceptedUpdate> Restore(int round);

    /// <summary>The aggregate's running state now (taken while no update is being added; valid until the next call).</summary>
    ReadOnlyMemory<byte> Snapshot();

    /// <summary>Makes updates durable with a snapshot of the aggregate that holds them, in one step.</summary>
    void Commit(int round, IReadOnlyList<AcceptedUpdate> updates, ReadOnlyMemory<byte> aggregate);
}
