namespace Cohort.Federated.Algorithms;

/// <summary>
/// A federated method: the client half (what a client does with its data, its state and the broadcast)
/// and the server half (what the server does with the aggregate). State lives in <see cref="ServerState"/>
/// and the client state store, never in hidden fields, so the same method runs in-process or remote.
/// A round may have several exchanges (Mime gathers gradients before the local steps); each is a
/// broadcast, a pass over the cohort and an aggregate.
/// </summary>
public interface IFederatedAlgorithm
{
    string Name { get; }

    /// <summary>Client-to-server exchanges per round.</summary>
    int Exchanges => 1;

    /// <summary>What clients send besides the update, in every exchange.</summary>
    MessageLayout Uplink => MessageLayout.None;

    /// <summary>The declared server vectors (by name, <see cref="ServerState.Vector"/>) broadcast with an exchange, besides the model sent with the first.</summary>
    IReadOnlyList<string> Downlink(int exchange) => [];

    /// <summary>Values a client's update has in an exchange: the model's length, unless the exchange sends something else (PowerSGD's factors).</summary>
    int UpdateLength(int exchange, int modelLength) => modelLength;

    /// <summary>The exchange whose local work leaves the client's model buffers (batch-norm statistics) to average: the last, unless a later one trains nothing.</summary>
    int TrainingExchange => Exchanges - 1;

    /// <summary>
    /// Parameter-name patterns ("*": any characters) of the model part each client keeps for itself across
    /// rounds: the engine starts the client's work from the global model with that part replaced by the
    /// client's copy, stores the part after the training exchange, never sends it, and scores the client's
    /// personal model on its own test split (<see cref="Personal.PersonalParameters"/>). Empty: none.
    /// </summary>
    IReadOnlyList<string> PersonalPatterns => [];

    /// <summary>
    /// The fine-tuning each client does on its own training data before its personal model is scored
    /// (the finetune method); null: none of its own (eval.finetune.* may still set one).
    /// </summary>
    Personal.FineTuning? FineTuning => null;

    /// <summary>
    /// The personal model a method keeps per client beside the global one, in its own client state
    /// (Ditto's v, APFL's mixture): scored on each client's own test split. Null: none besides the part
    /// <see cref="PersonalPatterns"/> names.
    /// </summary>
    Personal.IPersonalModel? PersonalModel => null;

    /// <summary>
    /// How the round loop takes updates computed from earlier model versions (FedBuff); null: the loop is
    /// synchronous, every update of a round computed from the round's model.
    /// </summary>
    Engine.Asynchrony? Asynchrony => null;

    /// <summary>
    /// Whether a client's work needs other clients' gradients at its own model (<see cref="ClientContext.Collaborators"/>):
    /// only a run that holds every client's data in one process can give them, so a deployed run refuses the method.
    /// </summary>
    bool NeedsCollaboratorGradients => false;

    /// <summary>Declares the method's server state (<see cref="ServerState.Declare(string, string[])"/>) and sets its starting values.</summary>
    void InitializeServer(ServerState server);

    /// <summary>
    /// Computes the client's update into <c>context.Buffers.Update</c> (and the uplink's other values);
    /// after the last exchange the objective's parameters hold the client's local model.
    /// </summary>
    ClientResult RunClient(ClientContext context);

    /// <summary>Applies one exchange's aggregate.</summary>
    void ApplyAggregate(ServerState server, RoundAggregate aggregate);
}
