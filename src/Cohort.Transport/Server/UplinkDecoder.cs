using Cohort.Federated.Algorithms;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>
/// Turns a client's compressed update, as the frame bytes it encoded, into the update the simulation's
/// aggregator sees: the frame decoded by the compressor its id names (among those the experiment's
/// uplink can send; EF21's message c is aggregated as it is, the server stage keeping g), and a skip message
/// (compressor id CompressorIds.Skip, a lazy upload's) replaced by the client's last update of that exchange.
/// </summary>
internal sealed class UplinkDecoder
{
    private readonly Dictionary<byte, ICompressor> _compressors;

    private UplinkDecoder(IEnumerable<ICompressor> compressors, ClientVector? state)
    {
        _compressors = compressors.ToDictionary(c => c.Id);
        State = state;
    }

    /// <summary>The per-client vector the server keeps (the decoded update, stored once it is accepted; one per exchange); null when none.</summary>
    public ClientVector? State { get; }

    /// <summary>The decoder of the experiment's uplink, or null when updates travel dense (no compressor, and a method that encodes none).</summary>
    public static UplinkDecoder? For(ExperimentConfig config, IFederatedAlgorithm algorithm, UpdatePipeline clientPipeline)
    {
        if (algorithm is IEncodesOwnUplink own)
        {
            return new UplinkDecoder(own.UplinkCompressors, null);
        }
        return clientPipeline.Stages.OfType<IEncodingStage>().FirstOrDefault() is { } encoding
            ? new UplinkDecoder(encoding.Decoders, encoding.ServerState)
            : null;
    }

    /// <summary>Decodes <paramref name="message"/> into <paramref name="update"/>; a message this run cannot have sent is refused (422) with its reason.</summary>
    public void Decode(int client, int exchange, ReadOnlySpan<byte> message, Span<float> update, IClientStateStore states)
    {
        if (message.IsEmpty || !_compressors.TryGetValue(message[0], out var compressor))
        {
            string sent = message.IsEmpty ? "an empty message" : $"compressor id {message[0]}";
            throw new ProtocolException(422, $"update: {sent}; this run's uplink sends {string.Join(" or ", _compressors.Values.Select(c => $"{c.Name} (id {c.Id})"))}.");
        }
        try
        {
            CompressedMessage.Decode(compressor, message, update);
        }
        catch (FormatException e)
        {
            throw new ProtocolException(422, $"update: the {compressor.Name} message does not decode ({e.Message}).");
        }
        if (compressor.Id == CompressorIds.Skip && !states.TryRead(client, State!.Value.In(exchange), update))
        {
            throw new ProtocolException(422, $"update: client {client} skipped its upload, but the server holds no earlier update of it.");
        }
    }
}
