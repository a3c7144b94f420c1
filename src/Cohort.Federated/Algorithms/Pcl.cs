using System.Numerics.Tensors;
using Cohort.Federated.Config;
using Cohort.Federated.Personal;
using Cohort.Federated.State;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// Personalized collaborative learning (Chayti, Karimireddy, Stich, Flammarion, Jaggi 2022, "Linear Speedup
/// in Personalized Collaborative Learning"): each client i keeps its own model xᵢ and steps it with the
/// other clients' stochastic gradients taken at xᵢ. With gᵢ client i's mini-batch gradient at xᵢ, ḡ the mean
/// of the other cohort members' mini-batch gradients at xᵢ and α the weight a client gives its own:
/// weighted gradient averaging (WGA) steps xᵢ ← xᵢ − η(α gᵢ + (1 − α) ḡ); bias correction steps
/// xᵢ ← xᵢ − η(α gᵢ + (1 − α)(ḡ − cᵢ)), cᵢ the estimate of the collaborators' bias ∇f̄ − ∇fᵢ made from past
/// gradients only, then updated as the moving average cᵢ ← (1 − β)cᵢ + β(ḡ − gᵢ). xᵢ and cᵢ never leave the
/// client's state; the client sends xᵢ − x, so the server's model becomes the mean personal model.
/// </summary>
internal sealed class Pcl(float? selfWeight, bool biasCorrection, float beta) : IFederatedAlgorithm
{
    public const string ModelVector = "pcl.x";

    public const string CorrectionVector = "pcl.c";

    /// <summary>What each client keeps: its model xᵢ and its bias estimate cᵢ.</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("pcl").Vector(ModelVector).Vector(CorrectionVector);

    private static readonly ClientVector ModelState = ClientState[ModelVector];

    private static readonly ClientVector CorrectionState = ClientState[CorrectionVector];

    public static AlgorithmDeclaration Declaration { get; } = new("pcl", "Personalized collaborative learning (Chayti et al. 2022): each client's model stepped with a weighted average of every client's gradient at it, optionally bias-corrected",
        config => new Pcl((float?)config.GetOptionalDouble("algorithm.self_weight"), config.GetBool("algorithm.bias_correction"), (float)config.GetDouble("algorithm.beta")))
    {
        Keys =
        [
            Key.Number("self_weight", null, "the weight α of a client's own gradient, 1 − α shared equally by the round's other clients (unset: 1/m, every one of the m clients alike)", 0, 1) with { Optional = true },
            Key.Boolean("bias_correction", "false", "step with the collaborators' gradients less an estimate of their bias (the paper's bias correction) instead of plain weighted gradient averaging"),
            Key.Number("beta", "0.1", "the moving average's weight β of the newest bias sample in the bias correction", 0, 1),
        ],
    };

    public string Name => "pcl";

    public bool NeedsCollaboratorGradients => true;

    public IPersonalModel PersonalModel { get; } = new StoredPersonalModel(ModelState);

    public void InitializeServer(ServerState server)
    {
    }

    /// <summary>The own gradient's weight α among <paramref name="clients"/> clients: the configured one, 1/m unset; 1 alone.</summary>
    public float SelfWeight(int clients) => clients <= 1 ? 1 : selfWeight ?? 1f / clients;

    public ClientResult RunClient(ClientContext context)
    {
        var collaborators = context.Collaborators ?? throw new ConfigException(
            "algorithm.name pcl: this client has no other clients' gradients at its model (a deployed run cannot give them); the method is simulated only.");
        int samples = context.Objective.Samples;
        var buffers = context.Buffers;
        var x = buffers.Vector(ModelVector);
        if (!context.States.TryRead(context.Client, ModelState, x))
        {
            context.Global.Span.CopyTo(x);
        }
        var c = buffers.Vector(CorrectionVector);
        if (!biasCorrection || !context.States.TryRead(context.Client, CorrectionState, c))
        {
            Array.Clear(c);
        }
        var own = buffers.Vector("pcl.own");
        var others = buffers.Vector("pcl.others");
        var step = buffers.Vector("pcl.step");
        var cohort = collaborators.Clients;
        int m = cohort.Count(k => k != context.Client) + 1;
        float alpha = SelfWeight(m), eta = context.Work.LearningRate;
        double lossSum = 0;
        int batches = 0;
        for (int s = 0; s < context.Steps && samples > 0; s++)
        {
            lossSum += collaborators.BatchGradientAt(context.Client, s, x, own);
            OthersMean(collaborators, context.Client, s, x, others, step);
            // step = α gᵢ + (1 − α)(ḡ − cᵢ), all at xᵢ before the step; cᵢ is zero without bias correction.
            TensorPrimitives.Multiply(own, alpha, step);
            TensorPrimitives.MultiplyAdd(others, 1 - alpha, step, step);
            TensorPrimitives.MultiplyAdd(c, alpha - 1, step, step);
            TensorPrimitives.MultiplyAdd(step, -eta, x, x);
            if (biasCorrection && m > 1)
            {
                // cᵢ ← (1 − β)cᵢ + β(ḡ − gᵢ), used from the next step on.
                TensorPrimitives.Multiply(c, 1 - beta, c);
                TensorPrimitives.MultiplyAdd(others, beta, c, c);
                TensorPrimitives.MultiplyAdd(own, -beta, c, c);
            }
            batches++;
        }
        context.States.Write(context.Client, ModelState, x);
        if (biasCorrection)
        {
            context.States.Write(context.Client, CorrectionState, c);
        }
        context.Objective.Load(x);
        LocalTraining.Delta(x, context.Global.Span, buffers.Update);
        return new ClientResult(samples, lossSum, batches);
    }

    /// <summary>ḡ: the mean of the other cohort members' batch-<paramref name="batch"/> gradients at <paramref name="point"/>, summed in cohort order; zero alone.</summary>
    private static void OthersMean(ICollaboratorGradients collaborators, int client, int batch, ReadOnlySpan<float> point, Span<float> mean, Span<float> scratch)
    {
        mean.Clear();
        var cohort = collaborators.Clients;
        int others = cohort.Count(k => k != client);
        foreach (int other in cohort)
        {
            if (other != client)
            {
                collaborators.BatchGradientAt(other, batch, point, scratch);
                TensorPrimitives.MultiplyAdd(scratch, 1f / others, mean, mean);
            }
        }
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => ServerStep.Apply(server, aggregate.Update);
}
