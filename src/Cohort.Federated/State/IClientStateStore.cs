namespace Cohort.Federated.State;

/// <summary>
/// Per-client vectors that persist across rounds (control variates, personal models, residuals,
/// momenta), each a vector some component declared (<see cref="ClientStateDeclaration"/>), addressed by
/// (client, vector). Implementations keep them in memory up to a budget and
/// spill the rest to disk, and save them whole with a checkpoint.
/// </summary>
public interface IClientStateStore
{
    /// <summary>Copies the stored vector into <paramref name="destination"/>; false (and nothing written) when there is none.</summary>
    bool TryRead(int client, ClientVector vector, Span<float> destination);

    void Write(int client, ClientVector vector, ReadOnlySpan<float> value);

    long BytesInMemory { get; }

    /// <summary>What the run's summary states of the store (where its vectors lived), as key and value; none by default.</summary>
    IEnumerable<(string Key, string Value)> Statements() => [];

    /// <summary>Writes every vector, in memory or spilled, in the format of <see cref="ClientStateFile"/> (call while no worker writes).</summary>
    void Save(Stream destination);

    /// <summary>Replaces the store's contents with a saved store's; <paramref name="origin"/> names the source in errors.</summary>
    void Restore(Stream source, string origin);
}
