using System.Numerics.Tensors;
using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// Mime (Karimireddy et al. 2021): MimeLite's frozen server momentum plus an SVRG-style correction.
/// A round has two exchanges: first each client sends its full-batch gradient at x and the server
/// broadcasts their mean c; then clients step y ← y − η(gᵢ(y) − gᵢ(x) + c + β·m), both gradients on
/// the same mini-batch, and the server averages the models and sets m ← c + β·m (FedJAX's mime with
/// sgd(η, β), as <see cref="MimeLite"/>).
/// </summary>
internal sealed class Mime(float beta) : IFederatedAlgorithm
{
    public static AlgorithmDeclaration Declaration { get; } = new("mime", "Mime (Karimireddy et al. 2020): local steps with the server's momentum and an SVRG correction",
        config => MimeChecks.RequirePlainSgd(config, new Mime((float)config.GetDouble("algorithm.beta"))))
    {
        Keys = [Key.Number("beta", "0.9", "momentum β", 0, 1)],
    };

    public const string MeanGradient = "mime.c";
    private const string AtGlobal = "mime.g_x";

    public string Name => "mime";

    public int Exchanges => 2;

    public IReadOnlyList<string> Downlink(int exchange) => exchange == 0 ? [] : [MimeLite.Momentum, MeanGradient];

    public void InitializeServer(ServerState server)
    {
        server.Declare(Name, MimeLite.Momentum, MeanGradient);
    }

    public ClientResult RunClient(ClientContext context)
    {
        if (context.Exchange == 0)
        {
            var full = LocalTraining.FullGradient(context);
            context.Objective.Gradients.CopyTo(context.Buffers.Update);
            return full;
        }
        var correction = new Corrected(context.Global, context.Broadcast(MeanGradient), context.Buffers.Vector(AtGlobal), new MimeLite.MomentumStep(beta, context.Broadcast(MimeLite.Momentum)));
        var result = LocalTraining.RunToDelta(context, correction);
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate)
    {
        if (aggregate.Exchange == 0)
        {
            aggregate.Update.CopyTo(server.Vector(MeanGradient), 0);
            return;
        }
        ServerStep.Apply(server, aggregate.Update);
        MimeLite.UpdateMomentum(server.Vector(MimeLite.Momentum), server.Vector(MeanGradient), beta);
    }

    /// <summary>g ← gᵢ(y) − gᵢ(x) + c on the step's mini-batch, then the momentum step.</summary>
    private sealed class Corrected(ReadOnlyMemory<float> global, float[] c, float[] atGlobal, IGradientCorrection momentum) : IGradientCorrection
    {
        public void Correct(ILocalObjective objective, Span<float> gradient)
        {
            objective.BatchGradientAt(global.Span, atGlobal);
            TensorPrimitives.Subtract(gradient, atGlobal, gradient);
            TensorPrimitives.Add(gradient, c, gradient);
            momentum.Correct(objective, gradient);
        }
    }
}
