using System.Numerics.Tensors;
using Cohort.Federated.Config;
using Cohort.Federated.Personal;
using Cohort.Federated.State;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// Per-FedAvg (Fallah, Mokhtari, Ozdaglar 2020, Algorithm 1): FedAvg on the MAML objective
/// f(w − α∇f(w)). Each local step draws three mini-batches D, D′, D″ and takes
/// w ← w − β(I − α∇²f(w; D″))∇f(w − α∇f(w; D); D′); the first-order variant (FO) drops the Hessian
/// term and draws no D″. The Hessian-free variant (HF) takes the Hessian-vector product by central
/// differences of gradients on D″, ∇²f(w)g ≈ ‖g‖(∇f(w + εu) − ∇f(w − εu))/(2ε) with u = g/‖g‖ (exact
/// on quadratics), where the paper's HF uses the same kind of two-gradient estimate. β is the client
/// learning rate. A client's personal model is the global model it last received after one step
/// w − α∇f(w; D) on a fresh mini-batch of its own training data, taken at the end of its round.
/// </summary>
internal sealed class PerFedAvg(float alpha, bool hessianFree, float epsilon) : IFederatedAlgorithm
{
    public const string PersonalVector = "perfedavg.personal";

    /// <summary>What each client keeps: its one-step personalization of the last global model it received.</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("perfedavg").Vector(PersonalVector);

    private static readonly ClientVector PersonalState = ClientState[PersonalVector];

    public static AlgorithmDeclaration Declaration { get; } = new("perfedavg", "Per-FedAvg (Fallah et al. 2020): FedAvg on the one-step-adapted (MAML) objective, first-order or Hessian-free",
        config => new PerFedAvg((float)config.GetDouble("algorithm.alpha"), config.Get("algorithm.variant") == "hf", (float)config.GetDouble("algorithm.hvp_epsilon")))
    {
        Keys =
        [
            Key.Number("alpha", "0.03", "the adaptation step α (the outer step β is client.lr)", 0),
            Key.Choice("variant", "fo", "fo (first-order) or hf (Hessian-free: the Hessian-vector product by differences of gradients)", "fo", "hf"),
            Key.Number("hvp_epsilon", "0.001", "the HF variant's difference step ε (the perturbation's norm)", 1e-12),
        ],
    };

    public string Name => "perfedavg";

    public IPersonalModel PersonalModel { get; } = new StoredPersonalModel(PersonalState);

    public void InitializeServer(ServerState server)
    {
    }

    public ClientResult RunClient(ClientContext context)
    {
        var objective = context.Objective;
        var buffers = context.Buffers;
        var w = buffers.Vector("perfedavg.w");
        var adapted = buffers.Vector("perfedavg.adapted");
        var outer = buffers.Vector("perfedavg.outer");
        float beta = context.Work.LearningRate;
        context.Global.Span.CopyTo(w);
        double lossSum = 0;
        int batches = 0;
        for (long s = 0; s < context.Steps && objective.Samples > 0; s++)
        {
            objective.Load(w);
            lossSum += objective.NextBatch();
            TensorPrimitives.MultiplyAdd(objective.Gradients, -alpha, w, adapted);
            objective.Load(adapted);
            objective.NextBatch();
            objective.Gradients.CopyTo(outer);
            if (hessianFree)
            {
                objective.NextBatch();
                SubtractHessianTerm(objective, w, outer, buffers);
            }
            TensorPrimitives.MultiplyAdd(outer, -beta, w, w);
            batches++;
        }
        Personalize(context, objective, adapted);
        objective.Load(w);
        LocalTraining.Delta(w, context.Global.Span, buffers.Update);
        return new ClientResult(objective.Samples, lossSum, batches);
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => ServerStep.Apply(server, aggregate.Update);

    /// <summary>g ← g − α∇²f(w; D″)g, the product by central differences of the last mini-batch's gradients.</summary>
    private void SubtractHessianTerm(ILocalObjective objective, ReadOnlySpan<float> w, Span<float> g, ClientBuffers buffers)
    {
        float norm = TensorPrimitives.Norm(g);
        if (norm == 0)
        {
            return;
        }
        var point = buffers.Vector("perfedavg.point");
        var plus = buffers.Vector("perfedavg.plus");
        var minus = buffers.Vector("perfedavg.minus");
        float step = epsilon / norm;
        TensorPrimitives.MultiplyAdd(g, step, w, point);
        objective.BatchGradientAt(point, plus);
        TensorPrimitives.MultiplyAdd(g, -step, w, point);
        objective.BatchGradientAt(point, minus);
        TensorPrimitives.Subtract(plus, minus, plus);
        TensorPrimitives.MultiplyAdd(plus, -alpha / (2 * step), g, g);
    }

    /// <summary>Stores the broadcast model after one adaptation step on the client's next mini-batch.</summary>
    private void Personalize(ClientContext context, ILocalObjective objective, float[] adapted)
    {
        if (objective.Samples == 0)
        {
            return;
        }
        objective.Load(context.Global.Span);
        objective.NextBatch();
        TensorPrimitives.MultiplyAdd(objective.Gradients, -alpha, context.Global.Span, adapted);
        context.States.Write(context.Client, PersonalState, adapted);
    }
}
