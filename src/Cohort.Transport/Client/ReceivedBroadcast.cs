using Cohort.Federated.Compression;

namespace Cohort.Transport.Client;

/// <summary>
/// What a client holds of the server's broadcast: the round's model (parameters and buffers, kept for the
/// round's later exchanges, which do not send it again, and, with a compressed downlink, the view the
/// next round's difference applies to) and the downlink vectors of the latest exchange.
/// </summary>
internal sealed class ReceivedBroadcast(int parameters, int buffers)
{
    /// <summary><see cref="ModelRound"/> when the parameters hold no whole model (a download cut short).</summary>
    public const int NoModel = -1;

    public float[] Parameters { get; } = new float[parameters];

    public float[] Buffers { get; } = new float[buffers];

    /// <summary>The round whose model <see cref="Parameters"/> holds: 0 for the initial model every replica builds from the seed, <see cref="NoModel"/> for none.</summary>
    public int ModelRound { get; set; } = NoModel;

    /// <summary>The run's downlink compressor, which decodes a broadcast sent as a difference (null: the model comes dense).</summary>
    public ICompressor? DownlinkCompressor { get; init; }

    /// <summary>The server vectors of the latest exchange, by name.</summary>
    public Dictionary<string, float[]> Downlink { get; } = new(StringComparer.Ordinal);
}
