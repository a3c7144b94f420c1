using System.Numerics.Tensors;
using Cohort.Federated.Config;
using Cohort.Federated.Personal;
using Cohort.Federated.State;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// Ditto (Li, Hu, Beirami, Smith 2021, Algorithm 1; reference code litian96/ditto): the global model w is
/// trained exactly as FedAvg (the client's local steps from the broadcast, the update w_local − w), and
/// beside it each client keeps a personal model v, stepped after the global part on the client's next
/// mini-batches by v ← v − η_p(∇f(v) + λ(v − w)), w the broadcast global model. v never leaves the client
/// and is what personal_accuracy_* scores; a client without one starts it from the broadcast. The personal
/// steps draw the batches after the global part's, so the global trajectory is FedAvg's, batch for batch.
/// </summary>
internal sealed class Ditto(float lambda, float personalLearningRate, long? personalSteps) : IFederatedAlgorithm
{
    public const string PersonalVector = "ditto.v";

    /// <summary>What each client keeps: its personal model v.</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("ditto").Vector(PersonalVector);

    private static readonly ClientVector PersonalState = ClientState[PersonalVector];

    public static AlgorithmDeclaration Declaration { get; } = new("ditto", "Ditto (Li et al. 2021): FedAvg's global model, and a personal model per client pulled toward it by λ/2·‖v − w‖²",
        config => new Ditto((float)config.GetDouble("algorithm.lambda"), (float)(config.GetOptionalDouble("algorithm.personal_lr") ?? config.GetDouble("client.lr")), config.GetOptionalInt("algorithm.personal_steps")))
    {
        Keys =
        [
            Key.Number("lambda", "0.1", "the pull λ of each personal model toward the global model (0: local training alone)", 0),
            Key.Number("personal_lr", null, "the personal model's learning rate η_p (unset: client.lr)", 0),
            Key.Integer("personal_steps", null, "the personal model's steps per round (unset: as many as the global part's local steps)", 0),
        ],
    };

    public string Name => "ditto";

    public IPersonalModel PersonalModel { get; } = new StoredPersonalModel(PersonalState);

    public void InitializeServer(ServerState server)
    {
    }

    public ClientResult RunClient(ClientContext context)
    {
        var result = LocalTraining.RunToDelta(context);
        var objective = context.Objective;
        var v = context.Buffers.Vector(PersonalVector);
        if (!context.States.TryRead(context.Client, PersonalState, v))
        {
            context.Global.Span.CopyTo(v);
        }
        objective.Load(v);
        long steps = personalSteps ?? context.Steps;
        for (long s = 0; s < steps && objective.Samples > 0; s++)
        {
            objective.NextBatch();
            VectorOps.AddScaledDifference(objective.Gradients, lambda, objective.Parameters, context.Global.Span);
            TensorPrimitives.MultiplyAdd(objective.Gradients, -personalLearningRate, objective.Parameters, objective.Parameters);
        }
        context.States.Write(context.Client, PersonalState, objective.Parameters);
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => ServerStep.Apply(server, aggregate.Update);
}
