using System.Buffers;
using System.Numerics.Tensors;
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
/// uplink can send), then, for EF21, the client's estimate gᵢ added (the server keeps gᵢ ← gᵢ + c as the
/// client does), and for lazy uploads a skipped message replaced by the client's last update.
/// </summary>
public sealed class UplinkDecoder
{
    private readonly Dictionary<byte, ICompressor> _compressors;
    private readonly bool _addsEstimate;

    private UplinkDecoder(IEnumerable<ICompressor> compressors, string? stateName, bool addsEstimate)
    {
        _compressors = compressors.ToDictionary(c => c.Id);
        StateName = stateName;
        _addsEstimate = addsEstimate;
    }

    /// <summary>The name of the per-client vector the server keeps (the decoded update, stored once it is accepted); null when none.</summary>
    public string? StateName { get; }

    /// <summary>The decoder of the experiment's uplink, or null when updates travel dense (no compressor, and a method that encodes none).</summary>
    public static UplinkDecoder? For(ExperimentConfig config, IFederatedAlgorithm algorithm, UpdatePipeline clientPipeline)
    {
        if (algorithm is Diana)
        {
            return new UplinkDecoder([MethodCompressor.Uplink(config, "diana")], null, false);
        }
        if (algorithm is Marina)
        {
            // Sync rounds send the gradient dense, the others its compressed difference.
            return new UplinkDecoder([new DenseFloat32(), MethodCompressor.Uplink(config, "marina")], null, false);
        }
        foreach (var stage in clientPipeline.Stages)
        {
            switch (stage)
            {
                case CompressionStage compression:
                    bool ef21 = compression.Feedback == ErrorFeedback.Ef21;
                    return new UplinkDecoder([compression.Compressor], ef21 ? compression.StateName : null, ef21);
                case LazyUploadStage:
                    return new UplinkDecoder([new DenseFloat32(), LazyUploadStage.Skipped], LazyUploadStage.StateName, false);
            }
        }
        return null;
    }

    /// <summary>Decodes <paramref name="message"/> into <paramref name="update"/>; a message this run cannot have sent is refused (422) with its reason.</summary>
    public void Decode(int client, ReadOnlySpan<byte> message, Span<float> update, IClientStateStore states)
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
        if (compressor == LazyUploadStage.Skipped && !states.TryRead(client, StateName!, update))
        {
            throw new ProtocolException(422, $"update: client {client} skipped its upload, but the server holds no earlier update of it.");
        }
        if (_addsEstimate)
        {
            // g + c as the client computes it, with g = 0 before its first message (0 + −0 is +0 on both sides).
            // Uploads decode concurrently, so the model-sized estimate is rented, not kept in a field.
            float[] rented = ArrayPool<float>.Shared.Rent(update.Length);
            try
            {
                var estimate = rented.AsSpan(0, update.Length);
                estimate.Clear();
                states.TryRead(client, StateName!, estimate);
                TensorPrimitives.Add(estimate, update, update);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }
}
