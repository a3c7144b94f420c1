using Cohort.Federated.Evaluation;

namespace Cohort.Federated.Engine;

/// <summary>
/// A cohort executor whose clients hold their own test splits and score the global model themselves
/// (deployed clients); in simulation the server holds every split and scores them in-process.
/// </summary>
internal interface IClientEvaluation
{
    /// <summary>
    /// The clients' scores of the model after <paramref name="round"/>, by client id; a client that sent none is absent.
    /// Clients from <paramref name="newClientsFrom"/> on are held out of training and personalize from the model first,
    /// as new clients, with the method's own procedure (<see cref="Personal.NewClients"/>); int.MaxValue: none.
    /// </summary>
    IReadOnlyDictionary<int, ClientScore> ScoreClients(int round, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> buffers, int newClientsFrom);
}
