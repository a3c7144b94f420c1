namespace Cohort.Federated.Algorithms;

/// <summary>
/// A worker's memory for the client it runs, reused from client to client: the update it sends, any
/// other model-sized vector a method needs (sent, when the method's uplink names it, or only worked
/// in), and the scalars it sends.
/// </summary>
public sealed class ClientBuffers(int length)
{
    private readonly Dictionary<string, float[]> _vectors = new(StringComparer.Ordinal);

    public int Length { get; } = length;

    /// <summary>The update: what goes through the client stages and the aggregator.</summary>
    public float[] Update { get; } = new float[length];

    /// <summary>Scalars the client sends, by name (cleared before each client).</summary>
    public Dictionary<string, double> Scalars { get; } = new(StringComparer.Ordinal);

    /// <summary>A named model-sized vector, allocated on first use and kept for later clients; its contents are whatever the last user left.</summary>
    public float[] Vector(string name)
    {
        if (!_vectors.TryGetValue(name, out var vector))
        {
            vector = new float[Length];
            _vectors[name] = vector;
        }
        return vector;
    }
}
