using Cohort.Federated.State;
using System.Numerics.Tensors;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// DIANA (Mishchenko et al. 2019): compression of differences to learned shifts. Client i computes its
/// update gᵢ (local training, as FedAvg), sends mᵢ = Q(gᵢ − hᵢ) and sets hᵢ ← hᵢ + α·mᵢ with the same
/// draw; the server, holding h = mean hᵢ, steps with h + mean mᵢ and sets h ← h + α·(Σ_S w / Σ_all w)·mean mᵢ
/// (only the cohort's shifts moved; the share is the round aggregate's participation). Q is the uplink
/// compressor, unbiased with variance bound ω; the shifts let its variance vanish as hᵢ → gᵢ. α defaults to
/// 1/(ω + 1), the largest rate of the analyses (Mishchenko et al. 2019; Horváth et al. 2019). hᵢ lives in the client state store.
/// </summary>
internal sealed class Diana(ICompressor compressor, double? shiftRate) : IFederatedAlgorithm, IEncodesOwnUplink
{
    public const string ClientShift = "diana.shift";

    /// <summary>What each client keeps: its shift hᵢ.</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("diana").Vector(ClientShift);

    private static readonly ClientVector ShiftState = ClientState[ClientShift];
    public const string ServerShift = "diana.shift";
    private static readonly long Purpose = RandomStream.Purpose("diana");

    public string Name => "diana";

    public static AlgorithmDeclaration Declaration { get; } = new("diana", "DIANA (Mishchenko et al. 2019): compressed differences to learned per-client shifts", Create)
    {
        Keys = [Key.Number("shift_rate", null, "α, how far each client's shift moves toward its compressed difference (default 1/(ω + 1))", 1e-9, 1) with { Optional = true }],
        EncodesOwnUplink = true,
    };

    public IReadOnlyList<ICompressor> UplinkCompressors => [compressor];

    public static Diana Create(ExperimentConfig config) =>
        new(MethodCompressor.Uplink(config, "diana"), config.GetOptionalDouble("algorithm.shift_rate"));

    /// <summary>α for vectors of <paramref name="length"/> values: as set, else 1/(ω + 1).</summary>
    public float ShiftRate(int length) => (float)(shiftRate ?? 1 / (compressor.VarianceBound(length) + 1));

    public void InitializeServer(ServerState server) => server.Declare(Name, ServerShift);

    public ClientResult RunClient(ClientContext context)
    {
        var result = LocalTraining.RunToDelta(context);
        return result with { MessageBytes = SendDifference(context, context.Buffers.Update) };
    }

    /// <summary>Replaces <paramref name="update"/> by the decoded Q(update − hᵢ), moves hᵢ; returns the message bytes.</summary>
    public long SendDifference(ClientContext context, float[] update)
    {
        var shift = context.Buffers.Vector(ClientShift);
        if (!context.States.TryRead(context.Client, ShiftState, shift))
        {
            Array.Clear(shift);
        }
        int bytes = ClientStep(compressor, ShiftRate(update.Length), update, shift, RandomStream.Create(context.Seed, Purpose, context.Round, context.Client));
        context.States.Write(context.Client, ShiftState, shift);
        return bytes;
    }

    /// <summary>The client's half on vectors: <paramref name="update"/> becomes m = Q(g − h), then h ← h + α·m; returns the message bytes.</summary>
    public static int ClientStep(ICompressor compressor, float shiftRate, Span<float> update, Span<float> shift, RandomStream random)
    {
        TensorPrimitives.Subtract(update, shift, update);
        int bytes = WireRoundTrip.Send(compressor, update, update, random);
        TensorPrimitives.MultiplyAdd(update, shiftRate, shift, shift);
        return bytes;
    }

    /// <summary>The server's half on vectors: <paramref name="estimate"/> = h + mean m, then h ← h + α·(|S|/N)·mean m.</summary>
    public static void ServerEstimate(float shiftRate, double participation, ReadOnlySpan<float> meanMessage, Span<float> shift, Span<float> estimate)
    {
        TensorPrimitives.Add(shift, meanMessage, estimate);
        TensorPrimitives.MultiplyAdd(meanMessage, (float)(shiftRate * participation), shift, shift);
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate)
    {
        ServerEstimate(ShiftRate(aggregate.Update.Length), aggregate.Participation, aggregate.Update, server.Vector(ServerShift), server.Scratch);
        // ServerStep negates into the scratch buffer in place.
        ServerStep.Apply(server, server.Scratch);
    }
}
