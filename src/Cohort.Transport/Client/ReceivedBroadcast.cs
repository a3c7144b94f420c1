namespace Cohort.Transport.Client;

/// <summary>
/// What a client holds of the server's broadcast: the round's model (parameters and buffers, kept for the
/// round's later exchanges, which do not send it again) and the downlink vectors of the latest exchange.
/// </summary>
public sealed class ReceivedBroadcast(int parameters, int buffers)
{
    public float[] Parameters { get; } = new float[parameters];

    public float[] Buffers { get; } = new float[buffers];

    /// <summary>The round whose model <see cref="Parameters"/> holds (0: none yet).</summary>
    public int ModelRound { get; set; }

    /// <summary>The server vectors of the latest exchange, by name.</summary>
    public Dictionary<string, float[]> Downlink { get; } = new(StringComparer.Ordinal);
}
