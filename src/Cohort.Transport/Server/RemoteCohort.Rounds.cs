using Cohort.Federated.Algorithms;
using Cohort.Federated.Engine;

namespace Cohort.Transport.Server;

/// <summary>
/// A round's exchange as the deployed cohort executor runs it: published as tasks, waited on until as many
/// updates as its cohort are on record (or its deadline has passed with enough), the wait said in the log when it stalls.
/// </summary>
internal sealed partial class RemoteCohort
{
    /// <summary>How long a round or an evaluation waits without a word before the server says what it waits for.</summary>
    private static readonly TimeSpan StallNotice = TimeSpan.FromSeconds(60);

    public int Run(CohortRound round, UpdateSink accept, CancellationToken cancel)
    {
        // The clients' evaluation after a round stops with the run too.
        _runCancel = cancel;
        if (round.Round != _lastRound)
        {
            // The previous round is complete: the per-client vectors its updates moved become the state (and go into its checkpoint).
            CloseLastRound();
            _lastRound = round.Round;
        }
        _journal?.RoundOpening(round.Round);
        var open = new OpenRound(round, OverSelection.StandIns(round, _rules, _registry, _template.Seed), accept);
        // A round that was open when the server stopped: its aggregate and the updates in it come back.
        foreach (var restored in _updatesMidRound ? _journal!.Restore(round.Round) : [])
        {
            var result = new ClientResult((int)restored.Samples, restored.LossSum, (int)restored.Batches);
            open.Restore(restored.Client, new ClientReport(result, restored.UplinkBytes));
        }
        lock (_gate)
        {
            _open = open;
            Signal();
        }
        try
        {
            var deadline = _rules.Deadline is { } d ? DateTimeOffset.UtcNow + d : (DateTimeOffset?)null;
            open.Deadline = deadline;
            var notice = DateTimeOffset.UtcNow + StallNotice;
            string name = round.Exchange == 0 ? $"round {round.Round}" : $"exchange {round.Exchange} of round {round.Round}";
            while (!cancel.IsCancellationRequested)
            {
                lock (_gate)
                {
                    if (open.Reported >= round.Clients.Length || (deadline is { } at && DateTimeOffset.UtcNow >= at && open.Reported >= _rules.MinClients))
                    {
                        break;
                    }
                    if (DateTimeOffset.UtcNow >= notice)
                    {
                        string rule = deadline is { } passed && DateTimeOffset.UtcNow >= passed ? $"; its deadline has passed, and it closes once {_rules.MinClients} (--min-clients) are in" : "";
                        _log($"{name}: {open.Reported} of {round.Clients.Length} updates so far; waiting for clients {string.Join(", ", open.Missing(round.Clients))}{rule}.");
                        notice = DateTimeOffset.UtcNow + StallNotice;
                    }
                }
                ThrowIfNotRecorded();
                open.Progress.Wait(TimeSpan.FromMilliseconds(200), CancellationToken.None);
                open.Progress.Reset();
            }
            cancel.ThrowIfCancellationRequested();
            lock (_gate)
            {
                ModelBytesSent = open.ModelBytesOfTaken();
                if (open.Reported < round.Clients.Length)
                {
                    _log($"{name} closed at its deadline with {open.Reported} of {round.Clients.Length} updates; none from clients {string.Join(", ", open.Missing(round.Clients))}.");
                }
            }
            // Every update in the aggregate is on record before the round's result is applied.
            _committer.Flush();
            ThrowIfNotRecorded();
            return open.Reported;
        }
        finally
        {
            lock (_gate)
            {
                open.Closed = true;
                KeepForLateUploads(open);
                _open = null;
                _lastClosed = open;
                Signal();
            }
        }
    }

    /// <summary>The last round run is complete: the per-client vectors the server keeps take its updates' values.</summary>
    public void CloseLastRound() => _serverStates.CompleteRound();

    private void ThrowIfNotRecorded()
    {
        if (_committer.Failure is { } failure)
        {
            throw new IOException($"the server could not record accepted updates ({failure.Message}); it stops, and a restart resumes from its last record.", failure);
        }
    }
}
