using Cohort.Transport.Wire;

namespace Cohort.Transport.Client;

/// <summary>What a client asks of a broadcast and how it takes one in: the header checked against its task, the chunks into its buffers.</summary>
internal static class BroadcastReceiver
{
    /// <summary>Whether the task's download carries the model: always in exchange 0, later when the client does not hold the round's.</summary>
    public static bool NeedsModel(WorkTask task, ReceivedBroadcast into) => task.Exchange == 0 || into.ModelRound != task.Round;

    /// <summary>The round whose model view the client holds, told in exchange 0 (a compressed downlink sends the difference to it).</summary>
    public static int? Holds(WorkTask task, ReceivedBroadcast into) => task.Exchange == 0 && into.ModelRound != ReceivedBroadcast.NoModel ? into.ModelRound : null;

    /// <summary>
    /// Takes in the broadcast of a task's exchange: the model when the client does not hold the round's yet (with a
    /// compressed downlink, as the difference to the view the client holds when that is the previous round's), and
    /// the exchange's downlink vectors.
    /// </summary>
    public static async Task ReceiveAsync(WorkTask task, ReceivedBroadcast into, BroadcastHeader header, IChunkReader chunks, CancellationToken cancel)
    {
        bool model = NeedsModel(task, into);
        long parameters = model ? into.Parameters.Length : 0, buffers = model ? into.Buffers.Length : 0;
        if (header.Round != task.Round || header.Exchange != task.Exchange || header.Parameters != parameters || header.Buffers != buffers)
        {
            throw new ProtocolException(502, $"broadcast: exchange {header.Exchange} of round {header.Round} with {header.Parameters} parameters and {header.Buffers} buffers; expected exchange {task.Exchange} of round {task.Round}, {parameters} and {buffers}.");
        }
        bool difference = header.ModelMessageBytes > 0;
        if (difference && (into.DownlinkCompressor is null || task.Exchange != 0 || into.ModelRound != task.Round - 1 || header.ModelMessageBytes > 4L * into.Parameters.Length + 4096))
        {
            throw new ProtocolException(502, $"broadcast: the model as a compressed difference of {header.ModelMessageBytes} bytes, but this client holds round {into.ModelRound}'s model{(into.DownlinkCompressor is null ? " and the run's downlink is not compressed" : "")}.");
        }
        into.Downlink.Clear();
        var parts = new List<Memory<float>>();
        if (model)
        {
            if (!difference)
            {
                parts.Add(into.Parameters);
            }
            parts.Add(into.Buffers);
        }
        foreach (var vector in header.Downlink)
        {
            // Methods broadcast model-sized vectors; PowerSGD's factors are smaller.
            if (vector.Length < 1 || vector.Length > into.Parameters.Length || into.Downlink.ContainsKey(vector.Name))
            {
                throw new ProtocolException(502, $"broadcast: downlink vector '{vector.Name}' of {vector.Length} values; expected one vector of each name, of 1 to {into.Parameters.Length} values (the model's size).");
            }
            var values = new float[vector.Length];
            into.Downlink[vector.Name] = values;
            parts.Add(values);
        }
        // The model is marked held only once all of it has arrived (and a difference has been applied).
        into.ModelRound = model ? ReceivedBroadcast.NoModel : into.ModelRound;
        var message = difference ? new byte[header.ModelMessageBytes] : [];
        if (difference)
        {
            await MessageChunks.ReadAsync(chunks, message, "broadcast", cancel).ConfigureAwait(false);
        }
        await VectorChunks.ReadAsync(chunks, parts, requireFinite: false, "broadcast", cancel).ConfigureAwait(false);
        if (difference)
        {
            ApplyDifference(into, message);
        }
        into.ModelRound = task.Round;
    }

    /// <summary>Adds the decoded difference to the view the client holds, as the server moved its copy of that view.</summary>
    private static void ApplyDifference(ReceivedBroadcast into, byte[] message)
    {
        var decoded = new float[into.Parameters.Length];
        try
        {
            Federated.Compression.CompressedMessage.Decode(into.DownlinkCompressor!, message, decoded);
        }
        catch (FormatException e)
        {
            throw new ProtocolException(502, $"broadcast: the {into.DownlinkCompressor!.Name} difference does not decode ({e.Message}).");
        }
        Federated.Compression.DownlinkCompression.ApplyDifference(into.Parameters, decoded);
    }

    /// <summary>Takes in the model an EVALUATE task scores into <paramref name="parameters"/> and <paramref name="buffers"/>.</summary>
    public static async Task ReceiveEvaluationModelAsync(WorkTask task, float[] parameters, float[] buffers, BroadcastHeader header, IChunkReader chunks, CancellationToken cancel)
    {
        if (header.Round != task.Round || header.Parameters != parameters.Length || header.Buffers != buffers.Length || header.Downlink.Count != 0)
        {
            throw new ProtocolException(502, $"evaluation: round {header.Round}'s model with {header.Parameters} parameters and {header.Buffers} buffers; expected round {task.Round}'s, {parameters.Length} and {buffers.Length}.");
        }
        await VectorChunks.ReadAsync(chunks, [parameters, buffers], requireFinite: false, "evaluation", cancel).ConfigureAwait(false);
    }
}
