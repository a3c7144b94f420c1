using System.Numerics.Tensors;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Diagnostics;
using Cohort.Federated.State;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>
/// What an update of this run must be: the update dense (the method's length for the exchange: the
/// model's, or PowerSGD's factors) or, with a compressed uplink, its frame bytes; then the method's uplink vectors, each model-sized, and its scalars. Checks a header
/// against that and reads a body into an ingest slot, refusing what does not fit with its reason.
/// </summary>
internal sealed class UploadFormat(IFederatedAlgorithm algorithm, int parameters, UplinkDecoder? decoder, double? maxNorm, double? maxMeanLoss = null)
{
    private readonly string method = algorithm.Name;
    private readonly MessageLayout uplink = algorithm.Uplink;

    /// <summary>Dense values an update of the exchange has.</summary>
    public int LengthOf(int exchange) => algorithm.UpdateLength(exchange, parameters);

    /// <summary>The largest compressed frame taken: dense float32 values and room for any header.</summary>
    public long MaxMessageBytes => 4L * parameters + 4096;

    /// <summary>
    /// The update's bytes as the server counts them, whatever the report says: the frame's length, or 4 bytes a
    /// dense value (the simulation's count of an update no stage encodes); the method's uplink vectors are counted apart.
    /// </summary>
    public static long UplinkBytesOf(UpdateHeader header) => header.MessageBytes > 0 ? header.MessageBytes : 4 * header.Length;

    /// <summary>Value bytes of an accepted upload (for the counters): the method's, as the simulation counts them, not the drift measurement's.</summary>
    public long BytesOf(UpdateHeader header) => header.MessageBytes + 4 * (header.Length + (long)parameters * (header.Vectors.Count - (HasDrift(header) ? 1 : 0)));

    /// <summary>
    /// Refuses a header that does not describe an update of this run (422, or 413 for a frame too large). With
    /// <paramref name="drift"/> (the round's drift diagnostics) the client may add its local model and update norm.
    /// </summary>
    public void Check(UpdateHeader header, int client, long registeredSamples, bool drift)
    {
        int length = LengthOf(header.Exchange);
        if (decoder is null && (header.MessageBytes != 0 || header.Length != length))
        {
            throw new ProtocolException(422, header.MessageBytes != 0
                ? $"update: a compressed message of {header.MessageBytes} bytes, but this run's uplink is not compressed; send the {length} values dense."
                : length == parameters
                    ? $"update: {header.Length} values for a model of {parameters} parameters."
                    : $"update: {header.Length} values; exchange {header.Exchange} of {method} with PowerSGD sends {length}.");
        }
        if (decoder is not null && (header.MessageBytes <= 0 || header.Length != 0))
        {
            throw new ProtocolException(422, $"update: {header.Length} dense values, but this run's uplink is compressed; send the update as its message (message_bytes) and no dense values.");
        }
        if (header.MessageBytes > MaxMessageBytes)
        {
            throw new ProtocolException(413, $"update: a message of {header.MessageBytes} bytes exceeds the limit of {MaxMessageBytes} for a model of {parameters} parameters.");
        }
        if (decoder is not null && header.UplinkBytes != header.MessageBytes)
        {
            throw new ProtocolException(422, $"update: the report counts {header.UplinkBytes} uplink bytes for a message of {header.MessageBytes}.");
        }
        CheckVectors(header, drift);
        CheckScalars(header);
        if (header.Samples != registeredSamples)
        {
            throw new ProtocolException(422, $"update: reports {header.Samples} training samples but client {client} registered {registeredSamples}.");
        }
        if (header.Batches < 0 || !double.IsFinite(header.LossSum) || header.LossSum < 0 || header.UplinkBytes < 0)
        {
            throw new ProtocolException(422, "update: the report's loss sum must be finite and non-negative, and its counts non-negative.");
        }
        // One client's report weighs in the round's train_loss: a mean beyond the bound is refused, not averaged in.
        double meanLoss = header.Batches == 0 ? 0 : header.LossSum / header.Batches;
        if (maxMeanLoss is { } bound && meanLoss > bound)
        {
            throw new ProtocolException(422, $"update: a mean training loss of {meanLoss:G6} per batch (loss sum {header.LossSum:G6} over {header.Batches} batches) exceeds the server's bound {bound:G6} (--max-loss).");
        }
    }

    /// <summary>Reads the body after the header into the slot: the frame (decoded into the update) or the dense update, then the vectors; the scalars from the header.</summary>
    public async Task ReadAsync(UpdateHeader header, int client, IChunkReader body, IngestSlots.Slot slot, IClientStateStore serverStates, CancellationToken cancel)
    {
        var values = slot.Values;
        var vectors = uplink.Vectors.Select(name => (Memory<float>)values.Vector(name)).ToList();
        if (HasDrift(header))
        {
            vectors.Add(values.Vector(ClientDrift.LocalName));
        }
        if (decoder is not null)
        {
            var message = slot.Message((int)header.MessageBytes);
            await MessageChunks.ReadAsync(body, message, "update", cancel).ConfigureAwait(false);
            await VectorChunks.ReadAsync(body, vectors, requireFinite: true, "update", cancel).ConfigureAwait(false);
            decoder.Decode(client, header.Exchange, message.Span, values.Update, serverStates);
            if (!TensorPrimitives.IsFiniteAll<float>(values.Update))
            {
                throw new ProtocolException(422, "update: the decoded message holds values that are not finite.");
            }
        }
        else
        {
            await VectorChunks.ReadAsync(body, [values.Update.AsMemory(0, (int)header.Length), .. vectors], requireFinite: true, "update", cancel).ConfigureAwait(false);
        }
        if (maxNorm is { } bound && TensorPrimitives.Norm<float>(UpdateOf(header, values)) is var norm && norm > bound)
        {
            throw new ProtocolException(422, $"update: L2 norm {norm:G6} exceeds the server's bound {bound:G6}.");
        }
        values.Scalars.Clear();
        foreach (var (name, value) in header.Scalars.Where(s => s.Key != ClientDrift.UpdateNormName))
        {
            values.Scalars[name] = value;
        }
    }

    /// <summary>The client's drift measurement as read into the slot; null when the upload carries none.</summary>
    public static ClientDrift? DriftOf(UpdateHeader header, ClientBuffers values) =>
        HasDrift(header) ? new ClientDrift(values.Vector(ClientDrift.LocalName), header.Scalars[ClientDrift.UpdateNormName]) : null;

    /// <summary>The update as read: the decoded message, or the dense values the header counts.</summary>
    public static ReadOnlySpan<float> UpdateOf(UpdateHeader header, ClientBuffers values) =>
        header.MessageBytes > 0 ? values.Update : values.Update.AsSpan(0, (int)header.Length);

    /// <summary>Whether the upload carries the client's drift measurement (<see cref="ClientDrift"/>) after the method's vectors.</summary>
    public static bool HasDrift(UpdateHeader header) => header.Scalars.ContainsKey(ClientDrift.UpdateNormName);

    private void CheckVectors(UpdateHeader header, bool drift)
    {
        IReadOnlyList<string> vectors = HasDrift(header) && drift ? [.. uplink.Vectors, ClientDrift.LocalName] : uplink.Vectors;
        bool fits = header.Vectors.Count == vectors.Count
            && header.Vectors.Zip(vectors).All(p => p.First.Name == p.Second && p.First.Length == parameters);
        if (!fits)
        {
            string sent = header.Vectors.Count == 0 ? "no vectors" : "vectors " + string.Join(", ", header.Vectors.Select(v => $"{v.Name} ({v.Length} values)"));
            string expected = uplink.Vectors.Count == 0 ? "none" : $"{string.Join(", ", uplink.Vectors)}, in that order, of {parameters} values each";
            string asked = drift ? $" (and {ClientDrift.LocalName} after them with the scalar {ClientDrift.UpdateNormName}, which this round's drift asks for)" : "";
            throw new ProtocolException(422, $"update: sends {sent} besides the update; algorithm {method} sends {expected}{asked}.");
        }
    }

    private void CheckScalars(UpdateHeader header)
    {
        var expected = uplink.Scalars.Append(ClientDrift.UpdateNormName).Where(name => name != ClientDrift.UpdateNormName || HasDrift(header)).Order(StringComparer.Ordinal).ToList();
        if (!header.Scalars.Keys.Order(StringComparer.Ordinal).SequenceEqual(expected))
        {
            string sent = header.Scalars.Count == 0 ? "no scalars" : "scalars " + string.Join(", ", header.Scalars.Keys.Order(StringComparer.Ordinal));
            throw new ProtocolException(422, $"update: sends {sent}; algorithm {method} sends {(expected.Count == 0 ? "none" : string.Join(", ", expected))}.");
        }
        foreach (var (name, value) in header.Scalars)
        {
            if (!double.IsFinite(value))
            {
                throw new ProtocolException(422, $"update: scalar {name} is {value}, not finite.");
            }
        }
    }
}
