using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.Tensors.Random;
using Cohort.Federated.Config;

namespace Cohort.Federated.Compression;

/// <summary>
/// Lazy uploads (LAG, Chen et al. 2018; censoring): a client whose update moved at most ratio·‖u‖ from
/// its last sent one sends only a header (compressor id <see cref="CompressorIds.Skip"/>), and the server
/// uses that last update again; otherwise it sends the update dense. The last sent update is kept per
/// client and exchange in the state store (the server holds the same copy).
/// </summary>
internal sealed class LazyUploadStage(double ratio, IClientStateStore states) : IUpdateStage, IEncodingStage
{
    public static CompressorDeclaration Declaration { get; } = new("lazy", "lazy upload (LAG-style): skip the upload when the update changed little since the last one sent (uplink only)", _ => null)
    {
        Keys = [Key.Number("lazy_ratio", "0.1", "skip the upload when ‖u − last sent‖ ≤ ratio·‖u‖", 0)],
    };

    /// <summary>What each client (and the server, of each client) keeps: the last update sent (one per exchange).</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("lazy").Vector("lazy.last");

    /// <summary>Exchange 0's last sent update (<see cref="ClientVector.In"/> gives the others').</summary>
    public static ClientVector StateName { get; } = ClientState["lazy.last"];
    private static readonly ICompressor Dense = new DenseFloat32();

    /// <summary>The header-only message that says "use my last update" (a receiver decodes it to nothing, and knows it by its id).</summary>
    private static ICompressor Skipped { get; } = new SkipMessage();

    /// <summary>A sent update travels dense; a skipped one as the one-byte skip message, replaced by the client's last update.</summary>
    public IReadOnlyList<ICompressor> Decoders => [new DenseFloat32(), Skipped];

    public ClientVector? ServerState => StateName;

    [ThreadStatic]
    private static float[]? t_last;

    public string Name => "lazy";

    public long OnClient(StageContext context, Span<float> update)
    {
        var last = Scratch.Of(ref t_last, update.Length);
        var name = StateName.In(context.Exchange);
        if (states.TryRead(context.Client, name, last)
            && System.Numerics.Tensors.TensorPrimitives.Distance(update, last) <= ratio * System.Numerics.Tensors.TensorPrimitives.Norm(update))
        {
            int skipped = WireRoundTrip.Send(Skipped, update, update, default);
            last.CopyTo(update);
            return skipped;
        }
        int bytes = WireRoundTrip.Send(Dense, update, update, default);
        states.Write(context.Client, name, update);
        return bytes;
    }

    /// <summary>A message with no payload: "use my last update".</summary>
    private sealed class SkipMessage : ICompressor
    {
        public byte Id => CompressorIds.Skip;

        public string Name => "skip";

        public bool Unbiased => false;

        public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
        {
        }

        public void Decode(ref MessageReader reader, Span<float> values)
        {
        }
    }
}
