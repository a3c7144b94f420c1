using System.Numerics.Tensors;
using Cohort.Federated.Config;
using Cohort.Federated.Personal;
using Cohort.Federated.State;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// L2GD, loopless local gradient descent (Hanzely, Richtárik 2020, "Federated Learning of a Mixture of
/// Global and Local Models", Algorithm 1), for min Σᵢ fᵢ(xᵢ) + λ·½Σᵢ‖xᵢ − x̄‖². Each step flips a coin:
/// with probability 1 − p every client takes a local step xᵢ ← xᵢ − η/(1 − p)·∇fᵢ(xᵢ); with probability
/// p every client mixes, xᵢ ← xᵢ − ηλ/p·(xᵢ − x̄). η is the per-client step (client.lr; the paper's α/n
/// for its objective averaged over the n clients), so E[step] = η(∇fᵢ(xᵢ) + λ(xᵢ − x̄)), and ηλ = p
/// makes a mix set every model to the average. Only a mix after a local step needs x̄ anew, so a round
/// is one run of mixes (with the x̄ the server broadcast) followed by the run of local steps up to the
/// next mix; the coins are drawn from the run's seed and the round, the same for every client and the
/// server. The client sends xᵢ − x̄ and keeps xᵢ; the server's model becomes the weighted mean x̄.
/// A client's personal model is its xᵢ after the mix that follows its upload. The method assumes that
/// every client takes part in every round (clients_per_round all of them).
/// </summary>
internal sealed class L2gd(float p, float lambda, float learningRate, ulong seed) : IFederatedAlgorithm
{
    public const string PersonalVector = "l2gd.x";

    /// <summary>What each client keeps: its model xᵢ.</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("l2gd").Vector(PersonalVector);

    private static readonly ClientVector PersonalState = ClientState[PersonalVector];

    public static AlgorithmDeclaration Declaration { get; } = new("l2gd", "L2GD (Hanzely & Richtárik 2020): random local steps and mixing steps toward the average, a mixture of global and local models", Create)
    {
        Keys =
        [
            Key.Number("p", "0.2", "the probability p of a mixing step (1 − p: a local step)", 1e-6, 1 - 1e-6),
            Key.Number("lambda", "0.1", "the penalty λ on each model's distance to the average", 0),
        ],
    };

    public static L2gd Create(ExperimentConfig config)
    {
        float p = (float)config.GetDouble("algorithm.p"), lambda = (float)config.GetDouble("algorithm.lambda"), lr = (float)config.GetDouble("client.lr");
        if (lr * lambda > p)
        {
            throw new ConfigException($"algorithm.lambda {lambda} with client.lr {lr} and algorithm.p {p}: a mixing step moves each model ηλ/p = {lr * lambda / p} of the way to the average, past it; take ηλ ≤ p.");
        }
        return new L2gd(p, lambda, lr, (ulong)config.GetInt("seed"));
    }

    public string Name => "l2gd";

    public IPersonalModel PersonalModel { get; } = new AfterMix(learningRate * lambda / p);

    /// <summary>The share of the way to the average a mix moves each model: ηλ/p.</summary>
    private float MixWeight { get; } = learningRate * lambda / p;

    public void InitializeServer(ServerState server)
    {
    }

    /// <summary>
    /// The coins of a round: the mixes that open it (the run of heads that followed the last local step;
    /// none in round 0, whose models are all the initial one) and the local steps up to the next head.
    /// </summary>
    public static (int Mixes, int LocalSteps) Coins(ulong seed, int round, double p)
    {
        var coins = RandomStream.Create(seed, RandomStream.Purpose("l2gd"), round);
        int mixes = 0;
        if (round > 0)
        {
            mixes = 1;
            while (coins.NextDouble() < p)
            {
                mixes++;
            }
        }
        int steps = 0;
        while (coins.NextDouble() >= p)
        {
            steps++;
        }
        return (mixes, steps);
    }

    /// <summary>A local step: x ← x − η/(1 − p)·g.</summary>
    public static void LocalStep(Span<float> x, ReadOnlySpan<float> gradient, float learningRate, float p) =>
        TensorPrimitives.MultiplyAdd(gradient, -learningRate / (1 - p), x, x);

    /// <summary>A mixing step: x ← x − ηλ/p·(x − x̄); a weight of 1 lands on x̄ exactly.</summary>
    public static void MixStep(Span<float> x, ReadOnlySpan<float> average, float mixWeight)
    {
        if (mixWeight == 1)
        {
            average.CopyTo(x);
            return;
        }
        VectorOps.AddScaledDifference(x, mixWeight, average, x);
    }

    public ClientResult RunClient(ClientContext context)
    {
        var objective = context.Objective;
        var x = context.Buffers.Vector(PersonalVector);
        var average = context.Global.Span;
        var (mixes, steps) = Coins(seed, context.Round, p);
        if (context.States.TryRead(context.Client, PersonalState, x))
        {
            for (int m = 0; m < mixes; m++)
            {
                MixStep(x, average, MixWeight);
            }
        }
        else
        {
            average.CopyTo(x);
        }
        objective.Load(x);
        double lossSum = 0;
        int batches = 0;
        for (int s = 0; s < steps && objective.Samples > 0; s++)
        {
            lossSum += objective.NextBatch();
            LocalStep(objective.Parameters, objective.Gradients, learningRate, p);
            batches++;
        }
        context.States.Write(context.Client, PersonalState, objective.Parameters);
        LocalTraining.Delta(objective.Parameters, average, context.Buffers.Update);
        return new ClientResult(objective.Samples, lossSum, batches);
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => ServerStep.Apply(server, aggregate.Update);

    /// <summary>The client's xᵢ after one mix toward the current average; the average for a client without one.</summary>
    private sealed class AfterMix(float mixWeight) : IPersonalModel
    {
        public void Compose(IClientStateStore states, int client, ReadOnlySpan<float> global, Span<float> destination)
        {
            if (states.TryRead(client, PersonalState, destination))
            {
                MixStep(destination, global, mixWeight);
            }
            else
            {
                global.CopyTo(destination);
            }
        }
    }
}
