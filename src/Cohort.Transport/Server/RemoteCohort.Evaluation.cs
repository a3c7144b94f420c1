using Cohort.Federated.Engine;
using Cohort.Federated.Evaluation;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>
/// The evaluation side of the deployed cohort executor: after an evaluated round every registered client
/// that scores its test split (and has one) is given an EVALUATE task, downloads that round's model, scores it on its own test
/// split and sends the score; the gradient diagnostics' sampled clients are asked for their gradients at that model in the same
/// task (<see cref="AcceptGradientAsync"/>); the round loop's metrics wait for them (up to the round deadline, if any). After the last round,
/// a client held out of training (partition.holdout_clients) is told so in its task and personalizes from the model first.
/// </summary>
internal sealed partial class RemoteCohort : IClientEvaluation
{
    private OpenEvaluation? _evaluation;
    private CancellationToken _runCancel;

    /// <summary>Clients that owed a score when an evaluation closed at its deadline, and when: not asked again until heard from since.</summary>
    private readonly Dictionary<int, DateTimeOffset> _missedEvaluation = [];

    public ClientEvaluations EvaluateClients(int round, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> buffers, bool scores, IReadOnlyList<int> gradientSample, int newClientsFrom)
    {
        List<int> scorers, sampled;
        lock (_gate)
        {
            scorers = scores ? [.. _registry.All().Where(r => r.ScoresTestSplit && r.TestSamples > 0 && Answers(r)).Select(r => r.Client)] : [];
            // A sampled client that has not registered (or has stopped answering) is left out of the round's ζ² and σ².
            sampled = [.. gradientSample.Where(c => _registry.Find(c) is { } r && Answers(r))];
        }
        var evaluation = new OpenEvaluation(round, parameters.ToArray(), buffers.ToArray(), scorers, sampled, newClientsFrom);
        var clients = evaluation.Asked.ToList();
        lock (_gate)
        {
            _evaluation = evaluation;
            Signal();
        }
        try
        {
            var deadline = _rules.Deadline is { } d ? DateTimeOffset.UtcNow + d : (DateTimeOffset?)null;
            while (!_runCancel.IsCancellationRequested && !Volatile.Read(ref _stopping) && (deadline is not { } at || DateTimeOffset.UtcNow < at))
            {
                lock (_gate)
                {
                    if (evaluation.Complete)
                    {
                        break;
                    }
                }
                evaluation.Progress.Wait(TimeSpan.FromMilliseconds(200), CancellationToken.None);
                evaluation.Progress.Reset();
            }
            _runCancel.ThrowIfCancellationRequested();
            lock (_gate)
            {
                var missing = clients.Where(evaluation.Owes).ToList();
                if (missing.Count > 0 && !Volatile.Read(ref _stopping))
                {
                    var closed = DateTimeOffset.UtcNow;
                    missing.ForEach(c => _missedEvaluation[c] = closed);
                    _log($"round {round}'s evaluation closed at its deadline with {evaluation.Scores.Count} of {scorers.Count} scores{(sampled.Count > 0 ? $" and {evaluation.Gradients.Count} of {sampled.Count} gradients" : "")}; clients {string.Join(", ", missing)} are not asked again until heard from.");
                }
                return new ClientEvaluations(new Dictionary<int, ClientScore>(evaluation.Scores), new Dictionary<int, Federated.Diagnostics.ClientGradient>(evaluation.Gradients));
            }
        }
        finally
        {
            lock (_gate)
            {
                evaluation.Closed = true;
                _evaluation = null;
                Signal();
            }
        }
    }

    /// <summary>Whether a client is asked to score: not if it missed an evaluation and has sent no request since.</summary>
    private bool Answers(ClientRegistry.Registration registration)
    {
        if (!_missedEvaluation.TryGetValue(registration.Client, out var missed))
        {
            return true;
        }
        if (registration.LastSeen <= missed)
        {
            return false;
        }
        _missedEvaluation.Remove(registration.Client);
        return true;
    }

    /// <summary>The model an open evaluation scores (parameters, then buffers); a 409 when round <paramref name="round"/>'s evaluation is not open.</summary>
    public (BroadcastHeader Header, ReadOnlyMemory<float>[] Parts) EvaluationModel(int client, int round)
    {
        lock (_gate)
        {
            var evaluation = OpenEvaluationOf(round, "evaluation");
            if (!evaluation.Owes(client))
            {
                throw new ProtocolException(403, $"evaluation: client {client} owes no score of round {round}'s model.");
            }
            var header = new BroadcastHeader { Round = round, Parameters = evaluation.Parameters.Length, Buffers = evaluation.Buffers.Length };
            return (header, [evaluation.Parameters, evaluation.Buffers]);
        }
    }

    /// <summary>Takes a client's score of the open evaluation's model, checked against its task and registration.</summary>
    public UpdateReply AcceptEvaluation(int client, EvaluationReport report)
    {
        lock (_gate)
        {
            var evaluation = OpenEvaluationOf(report.Round, "evaluation");
            evaluation.CheckTask(client, report.TaskId, "evaluation");
            long registered = _registry.Find(client)?.TestSamples ?? -1;
            if (report.Count != registered || report.Correct < 0 || report.Correct > report.Count || !double.IsFinite(report.LossSum) || report.LossSum < 0)
            {
                throw new ProtocolException(422, $"evaluation: {report.Correct} correct of {report.Count} with loss sum {report.LossSum}; client {client} registered {registered} test samples, and a loss sum is finite and non-negative.");
            }
            if (report.HasPersonalCorrect && (report.PersonalCorrect < 0 || report.PersonalCorrect > report.Count))
            {
                throw new ProtocolException(422, $"evaluation: personal_correct {report.PersonalCorrect} is not within 0 … {report.Count}, the samples scored.");
            }
            evaluation.Take(client, new ClientScore(report.Correct, report.Count, report.LossSum) { PersonalCorrect = report.HasPersonalCorrect ? report.PersonalCorrect : null });
            return new UpdateReply { Accepted = true, Round = report.Round };
        }
    }

    private OpenEvaluation OpenEvaluationOf(int round, string what) =>
        _evaluation is { Closed: false } open && open.Round == round
            ? open
            : throw new ProtocolException(409, $"{what}: round {round}'s evaluation is not open (open: {(_evaluation is { } e ? $"round {e.Round}'s" : "none")}).");
}
