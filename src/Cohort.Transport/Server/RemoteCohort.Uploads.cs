using Cohort.Federated.Algorithms;
using Cohort.Federated.Engine;
using Cohort.Transport.Durability;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>The upload side of the deployed cohort executor: an update checked, read into an ingest slot, decoded and handed to the round exactly once.</summary>
internal sealed partial class RemoteCohort
{
    /// <summary>
    /// Takes one upload: header checks, then the values into an ingest slot (checked as they arrive),
    /// then, if the round is still open and the task still unclaimed, into the aggregate, exactly once.
    /// </summary>
    public async Task<UpdateReply> AcceptAsync(int client, UpdateHeader header, IChunkReader body, CancellationToken cancel)
    {
        OpenRound open;
        Assignment assignment;
        Task durable;
        lock (_gate)
        {
            if (_lastClosed is { } closed && closed.Round == header.Round && closed.Exchange == header.Exchange && closed.TaskFor(client) is { Accepted: true } taken && taken.TaskId == header.TaskId)
            {
                // The upload that closed its exchange, sent again (its reply was lost): a replay, as inside the round.
                throw new ProtocolException(403, $"update: task '{header.TaskId}' was already accepted; a replayed upload changes nothing.");
            }
            open = _open is { Closed: false } o && o.Exchange == header.Exchange && (o.Round == header.Round || TakesLate(o, header))
                ? o
                : throw new ProtocolException(409, $"update: exchange {header.Exchange} of round {header.Round} is not open (late or early); open: {(_open is { } r ? $"exchange {r.Exchange} of round {r.Round}" : "none")}.");
            assignment = (header.Round == open.Round ? open.TaskFor(client) : _earlier[header.Round].GetValueOrDefault(client))
                ?? throw new ProtocolException(403, $"update: client {client} is not in round {header.Round}'s cohort.");
            if (assignment.TaskId != header.TaskId)
            {
                throw new ProtocolException(403, $"update: task '{header.TaskId}' was not issued to client {client} for round {header.Round}.");
            }
            if (assignment.Accepted)
            {
                throw new ProtocolException(403, $"update: task '{header.TaskId}' was already accepted; a replayed upload changes nothing.");
            }
            if (assignment.Uploading)
            {
                throw new ProtocolException(409, $"update: an upload for task '{header.TaskId}' is already in progress.");
            }
            _format.Check(header, client, _registry.Find(client)?.TrainSamples ?? -1, open.MeasuresDrift && header.Round == open.Round);
            assignment.Uploading = true;
        }
        try
        {
            durable = await FoldAsync(open, assignment, header, client, body, cancel).ConfigureAwait(false);
            await durable.ConfigureAwait(false);
            lock (_gate)
            {
                // Counted toward closing the round only once on record.
                open.Reported++;
                Counters.CountAccepted(_format.BytesOf(header));
            }
            open.Progress.Set();
            return new UpdateReply { Accepted = true, Round = header.Round };
        }
        finally
        {
            lock (_gate)
            {
                assignment.Uploading = false;
            }
        }
    }

    /// <summary>
    /// Reads an upload into an ingest slot, checks it, and adds it to the open round (a late one too, tagged
    /// with the version it was computed from); the slot is free again before the update is on record.
    /// </summary>
    private async Task<Task> FoldAsync(OpenRound open, Assignment assignment, UpdateHeader header, int client, IChunkReader body, CancellationToken cancel)
    {
        using var lease = await _slots.TakeAsync(cancel).ConfigureAwait(false);
        var values = lease.Slot.Values;
        await _format.ReadAsync(header, client, body, lease.Slot, _serverStates, cancel).ConfigureAwait(false);
        lock (_gate)
        {
            if (open.Closed || open.Full)
            {
                throw new ProtocolException(409, $"update: round {header.Round} closed while the upload arrived (late).");
            }
            var result = new ClientResult((int)header.Samples, header.LossSum, (int)header.Batches);
            long uplink = UploadFormat.UplinkBytesOf(header);
            open.Accept(assignment, client, UploadFormat.UpdateOf(header, values), new ClientReport(result, uplink) { Uplink = values, Version = header.Round, Drift = UploadFormat.DriftOf(header, values) });
            if (_serverState is { } kept)
            {
                // What the server keeps of this client (a lazy client's last update, per exchange) moves only with an accepted update.
                _serverStates.Write(client, kept.In(header.Exchange), values.Update);
            }
            // On record under the round it is aggregated in, so a resumed round restores it.
            return _committer.Add(new AcceptedUpdate(open.Round, client, header.TaskId, header.Samples, header.LossSum, header.Batches, uplink));
        }
    }
}
