namespace Cohort.Federated.State;

/// <summary>
/// Per-client vectors that persist across rounds (control variates, personal models, residuals,
/// momenta), addressed by (client, name). Implementations keep them in memory up to a budget and
/// spill the rest to disk.
/// </summary>
public interface IClientStateStore
{
    /// <summary>Copies the stored vector into <paramref name="destination"/>; false (and nothing written) when there is none.</summary>
    bool TryRead(int client, string name, Span<float> destination);

    void Write(int client, string name, ReadOnlySpan<float> value);

    long BytesInMemory { get; }
}
