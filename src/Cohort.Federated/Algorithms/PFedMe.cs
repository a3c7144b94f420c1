using System.Numerics.Tensors;
using Cohort.Federated.Config;
using Cohort.Federated.Personal;
using Cohort.Federated.State;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// pFedMe (Dinh, Tran, Nguyen 2020, Algorithm 1; reference code CharlieDinh/pFedMe): each client's personal
/// model θ is the proximal point of its loss at its local copy w of the global model (a Moreau envelope of
/// parameter λ). Per local round, on one mini-batch D: K steps θ ← θ − η_p(∇f(θ; D) + λ(θ − w)) (the
/// reference pFedMeOptimizer, without its weight decay), then w ← w − ηλ(w − θ), η the client learning
/// rate; θ starts from the broadcast and carries across the local rounds. The client sends w's change and
/// keeps θ as its personal model; the server takes x ← (1 − β)x + β·mean(w), i.e. x += β·mean(w − x),
/// so β = 1 averages the clients' local models.
/// </summary>
internal sealed class PFedMe(float lambda, int innerSteps, float personalLearningRate, float beta) : IFederatedAlgorithm
{
    public const string PersonalVector = "pfedme.theta";

    /// <summary>What each client keeps: its personal model θ.</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("pfedme").Vector(PersonalVector);

    private static readonly ClientVector PersonalState = ClientState[PersonalVector];

    public static AlgorithmDeclaration Declaration { get; } = new("pfedme", "pFedMe (Dinh et al. 2020): personal models as Moreau-envelope proximal points of the local models",
        config => new PFedMe((float)config.GetDouble("algorithm.lambda"), config.GetInt("algorithm.inner_steps"),
            (float)config.GetDouble("algorithm.personal_lr"), (float)config.GetDouble("algorithm.beta")))
    {
        Keys =
        [
            Key.Number("lambda", "15", "the Moreau envelope's λ: the pull between personal and local models", 0),
            Key.Integer("inner_steps", "5", "K: steps toward the proximal point per mini-batch", 1),
            Key.Number("personal_lr", "0.09", "the personal model's learning rate η_p", 0),
            Key.Number("beta", "1", "the server's step β toward the mean local model (1: the mean)", 0),
        ],
    };

    public string Name => "pfedme";

    public IPersonalModel PersonalModel { get; } = new StoredPersonalModel(PersonalState);

    public void InitializeServer(ServerState server)
    {
    }

    public ClientResult RunClient(ClientContext context)
    {
        var objective = context.Objective;
        var buffers = context.Buffers;
        var theta = buffers.Vector(PersonalVector);
        var local = buffers.Vector("pfedme.w");
        var gradient = buffers.Vector("pfedme.gradient");
        context.Global.Span.CopyTo(theta);
        context.Global.Span.CopyTo(local);
        float lr = context.Work.LearningRate;
        double lossSum = 0;
        int batches = 0;
        for (long r = 0; r < context.Steps && objective.Samples > 0; r++)
        {
            objective.Load(theta);
            lossSum += objective.NextBatch();
            objective.Gradients.CopyTo(gradient);
            for (int k = 0; k < innerSteps; k++)
            {
                if (k > 0)
                {
                    objective.BatchGradientAt(theta, gradient);
                }
                VectorOps.AddScaledDifference(gradient, lambda, theta, local);
                TensorPrimitives.MultiplyAdd(gradient, -personalLearningRate, theta, theta);
            }
            // w ← w − ηλ(w − θ) = w + ηλ(θ − w).
            VectorOps.AddScaledDifference(local, lr * lambda, theta, local);
            batches++;
        }
        context.States.Write(context.Client, PersonalState, theta);
        objective.Load(local);
        LocalTraining.Delta(local, context.Global.Span, buffers.Update);
        return new ClientResult(objective.Samples, lossSum, batches);
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => ServerStep.Apply(server, aggregate.Update, beta);
}
