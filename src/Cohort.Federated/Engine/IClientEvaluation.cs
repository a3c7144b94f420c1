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
    /// client that sent nothing is absent. Clients from <paramref name="newClientsFrom"/> on are held out of training and personalize
    /// from the model first, as new clients, with the method's own procedure (<see cref="Personal.NewClients"/>); int.MaxValue: none.
    /// </summary>
    ClientEvaluations EvaluateClients(int round, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> buffers, bool scores, IReadOnlyList<int> gradientSample, int newClientsFrom);
}

/// <summary>What the clients sent for an evaluated round: their scores and the sampled clients' gradients, by client id.</summary>
internal sealed record ClientEvaluations(IReadOnlyDictionary<int, ClientScore> Scores, IReadOnlyDictionary<int, ClientGradient> Gradients);
