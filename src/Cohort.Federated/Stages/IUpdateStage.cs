namespace Cohort.Federated.Stages;

/// <summary>What a stage knows about the update it transforms; methods with several exchanges a round number them from 0.</summary>
public readonly record struct StageContext(int Round, int Client, ulong Seed, int Exchange = 0)
{
    /// <summary>Server hooks: the cohort's share of the total client weight, Σ_S w / Σ_all w (|S|/N with uniform weights).</summary>
    public double Participation { get; init; } = 1;

    /// <summary>Server hooks: the server's named vectors, where a stage keeps what it needs between rounds (saved with the server's state).</summary>
    public IDictionary<string, float[]>? ServerVectors { get; init; }
}

/// <summary>
/// One step of the update pipeline (clipping, compression with error feedback, noise, masking,
/// weighting): a client hook applied to each update before it leaves the client, and a server hook
/// applied to the aggregate. Server hooks run in reverse order of the stages, so a stage can undo
/// what it did on the client (an encoding, a mask) after every later stage has undone its own.
/// </summary>
public interface IUpdateStage
{
    string Name { get; }

    /// <summary>Transforms a client's update in place; returns the bytes the encoded update takes on the wire.</summary>
    long OnClient(StageContext context, Span<float> update);

    void OnServer(StageContext context, Span<float> aggregate);
}
