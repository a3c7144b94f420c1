using Cohort.Federated.Diagnostics;
using Cohort.Federated.Evaluation;

namespace Cohort.Federated.Engine;

/// <summary>
/// A cohort executor whose clients hold their own data and do the evaluation's client work themselves
/// (deployed clients): they score the global model on their test splits, and the gradient diagnostics'
/// sample measures its gradients there. In simulation the server holds every split and does both in-process.
/// </summary>
internal interface IClientEvaluation
{
    /// <summary>
    /// The clients' work on the model after <paramref name="round"/>: with <paramref name="scores"/> the scores of those that score their
    /// test splits; from each client of <paramref name="gradientSample"/>, its <see cref="ClientGradient"/> at that model. By client id; a
    /// client that sent nothing is absent.
    /// </summary>
    ClientEvaluations EvaluateClients(int round, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> buffers, bool scores, IReadOnlyList<int> gradientSample);
}

/// <summary>What the clients sent for an evaluated round: their scores and the sampled clients' gradients, by client id.</summary>
internal sealed record ClientEvaluations(IReadOnlyDictionary<int, ClientScore> Scores, IReadOnlyDictionary<int, ClientGradient> Gradients);
