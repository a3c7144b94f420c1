using System.Diagnostics;
using Cohort.Federated.Diagnostics;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Metrics;
using Cohort.Federated.Personal;

namespace Cohort.Federated.Engine;

/// <summary>The evaluation of a run's rounds: scoring the server's model (and the personal ones), the gradient diagnostics, and recording the metrics.</summary>
public sealed partial class FederatedRun
{
    internal bool ShouldEvaluate(int round) => round % _experiment.EvalEvery == 0 || round == _experiment.Rounds;

    /// <summary>Scores the server's model and builds the round's metrics.</summary>
    internal RoundMetrics Evaluate(int round, double seconds, double? trainLoss, long bytesUp, long bytesDown, int clients)
    {
        var clock = Stopwatch.StartNew();
        Evaluator.Score(Server.Global, Server.Buffers);
        var (accuracy, loss) = Evaluator.Overall();
        // After the last round the held-out clients personalize from the model first, as new clients.
        bool newClients = _training < _data.Clients && round == _experiment.Rounds;
        bool scoring = _experiment.EvalClients || PersonalModel is not null || newClients;
        int[]? gradientSample = _experiment.Mode == "federated" && _experiment.Diagnostics.MeasuresGradients(round, _experiment.EvalEvery, _experiment.Rounds)
            ? ClientSampler.Sample(_data.Clients, _experiment.Diagnostics.Clients, _experiment.Seed, round, "diagnostics")
            : null;
        // Deployed clients hold their data: they score the model (and their personal models) and measure the sample's gradients themselves.
        var remote = CohortExecutor is IClientEvaluation evaluating && (scoring || (gradientSample is not null && !CohortExecutor.HoldsClientData))
            ? evaluating.EvaluateClients(round, Server.Global, Server.Buffers, scoring, CohortExecutor.HoldsClientData ? [] : gradientSample ?? [],
                newClients ? _training : int.MaxValue)
            : null;
        var scores = scoring ? remote?.Scores : null;
        var perClient = !_experiment.EvalClients ? []
            : scores is not null ? [.. scores.Values.Select(s => s.Accuracy)]
            : Enumerable.Range(0, _data.Clients).Select(k => Evaluator.Over(_data.Partition.Test[k]).Accuracy).ToList();
        var metrics = new RoundMetrics
        {
            Round = round,
            TestAccuracy = accuracy,
            TestLoss = loss,
            TrainLoss = trainLoss,
            Seconds = seconds,
            BytesUp = bytesUp,
            BytesDown = bytesDown,
            Clients = clients,
            ClientAccuracy = ClientStatistics.Of(perClient),
        };
        if (gradientSample is not null && MeasureGradients(gradientSample, round, remote) is { } spread)
        {
            metrics.Extra["zeta2"] = spread.Zeta2;
            metrics.Extra["sigma2"] = spread.Sigma2;
        }
        if (PersonalModel is not null && CohortExecutor.HoldsClientData)
        {
            var splits = TestSplits(training: true);
            var global = splits.Select(split => Evaluator.Over(split).Accuracy).ToList();
            PersonalEvaluation.Record(metrics, ScorePersonal(splits, round), global, Byzantine is { Count: > 0 } attackers ? attackers.Contains : null);
            if (_data.HasValidation)
            {
                // The validation splits are held out of the training indices: scoring there chooses λ or fine-tuning steps without the test split.
                var validation = Enumerable.Range(0, _data.Clients).Select(k => k < _training ? _data.Partition.Validation[k] : []).ToArray();
                PersonalEvaluation.Spread(metrics, "personal_val_accuracy", ScorePersonal(validation, round, _data.Train));
            }
        }
        else if (PersonalModel is not null && scores is not null)
        {
            var training = scores.Where(s => s.Key < _training).Select(s => s.Value).ToList();
            PersonalEvaluation.Record(metrics, [.. training.Select(s => s.PersonalAccuracy)], [.. training.Select(s => s.Accuracy)]);
        }
        if (newClients && scores is not null)
        {
            // Each held-out client's personal model, or the final model where the method has none.
            var held = scores.Where(s => s.Key >= _training).Select(s => s.Value);
            PersonalEvaluation.Spread(metrics, "new_client_accuracy", [.. held.Select(s => PersonalModel is null ? s.Accuracy : s.PersonalAccuracy)]);
        }
        else if (newClients)
        {
            RecordNewClients(metrics, round);
        }
        // The attack needs the clients' training samples: a simulated run's (a deployed server does not hold them).
        if (round == _experiment.Rounds && _experiment.Config.GetBool("eval.membership_auc") && CohortExecutor.HoldsClientData)
        {
            metrics.Extra[MembershipInference.Metric] = MembershipInference.Measure(_executor, _data, _training,
                _experiment.Config.GetInt("eval.membership_samples"), _experiment.Seed, Server.Global, Server.Buffers);
        }
        metrics.EvalSeconds = clock.Elapsed.TotalSeconds;
        return metrics;
    }

    /// <summary>
    /// ζ² and σ² over the diagnostics' sample: measured here on clients whose data this process holds, else combined, in the
    /// sample's order, from the gradients the sampled clients sent (a client that sent none is left out; none at all: no metric).
    /// </summary>
    private GradientStatistics? MeasureGradients(int[] sample, int round, ClientEvaluations? remote)
    {
        if (CohortExecutor.HoldsClientData)
        {
            return new GradientSpread(_executor, _components.Bind, Weight).Measure(Server.Global, sample, round);
        }
        var sent = sample.Where(client => remote is not null && remote.Gradients.ContainsKey(client)).ToArray();
        return sent.Length == 0 ? null : GradientSpread.Combine([.. sent.Select(client => remote!.Gradients[client])], [.. sent.Select(Weight)]);
    }

    /// <summary>Each client's test split, or none (empty) for a client of the other kind: training or held out.</summary>
    private int[][] TestSplits(bool training) =>
        [.. Enumerable.Range(0, _data.Clients).Select(k => k < _training == training ? _data.Partition.Test[k] : [])];

    private double[] ScorePersonal(IReadOnlyList<int[]> splits, int round, Cohort.Data.Dataset? samples = null) =>
        PersonalEvaluation.Score(_executor, PersonalModel!, States, Server.Global, Server.Buffers, samples ?? _data.Test, splits,
            (worker, client) => _components.Bind(worker, client, round), _experiment.Client.LearningRate);

    /// <summary>
    /// The held-out clients personalize from the final model with the method's procedure (<see cref="NewClients"/>;
    /// none: the global model is theirs) and are scored on their own test splits as new_client_accuracy_*.
    /// </summary>
    private void RecordNewClients(RoundMetrics metrics, int round)
    {
        var splits = TestSplits(training: false);
        if (PersonalModel is null)
        {
            PersonalEvaluation.Spread(metrics, "new_client_accuracy", [.. splits.Select(split => Evaluator.Over(split).Accuracy)]);
            return;
        }
        if (Personal is not null)
        {
            NewClients.Personalize(_executor, _components.Bind, [.. Enumerable.Range(_training, _data.Clients - _training)], round + 1, Server,
                _experiment, Algorithm, States, Personal);
        }
        PersonalEvaluation.Spread(metrics, "new_client_accuracy", ScorePersonal(splits, round + 1));
    }

    /// <summary>Stores and announces a round's metrics; true when the target accuracy is reached.</summary>
    internal bool Record(RoundMetrics metrics)
    {
        _history.Add(metrics);
        foreach (var c in _callbacks)
        {
            c.OnRound(metrics);
        }
        return _experiment.TargetAccuracy is { } target && metrics.TestAccuracy >= target;
    }
}
