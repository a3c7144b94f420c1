using System.Numerics.Tensors;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// DIANA (Mishchenko et al. 2019): compression of differences to learned shifts. Client i computes its
/// update gᵢ (local training, as FedAvg), sends mᵢ = Q(gᵢ − hᵢ) and sets hᵢ ← hᵢ + α·mᵢ with the same
/// draw; the server, holding h = mean hᵢ, steps with h + mean mᵢ and sets h ← h + α·(|S|/N)·mean mᵢ
/// (only the cohort's shifts moved). Q is the uplink compressor; the shifts let an unbiased Q's
/// variance vanish as hᵢ → gᵢ.
/// </summary>
public sealed class Diana(ICompressor compressor, float shiftRate, double participation) : IFederatedAlgorithm
{
    public const string ClientShift = "diana.shift";
    public const string ServerShift = "diana.shift";
    private static readonly long Purpose = RandomStream.Purpose("diana");

    [ThreadStatic]
    private static float[]? t_shift;

    public string Name => "diana";

    public static Diana Create(ExperimentConfig config) =>
        new(MethodCompressor.Uplink(config, "diana"), (float)config.GetDouble("algorithm.shift_rate"), MethodCompressor.Participation(config));

    public void InitializeServer(ServerState server) => server.Vectors[ServerShift] = new float[server.Global.Length];

    public ClientResult RunClient(ClientContext context)
    {
        var result = LocalTraining.Run(context);
        var update = context.Worker.Update;
        LocalTraining.Delta(context.Worker.Model.Parameters, context.Global.Span, update);
        return result with { MessageBytes = SendDifference(context, update) };
    }

    /// <summary>Replaces <paramref name="update"/> by the decoded Q(update − hᵢ), moves hᵢ; returns the message bytes.</summary>
    public long SendDifference(ClientContext context, float[] update)
    {
        if (t_shift is null || t_shift.Length != update.Length)
        {
            t_shift = new float[update.Length];
        }
        var shift = t_shift;
        if (!context.States.TryRead(context.Client, ClientShift, shift))
        {
            Array.Clear(shift);
        }
        int bytes = ClientStep(compressor, shiftRate, update, shift, RandomStream.Create(context.Seed, Purpose, context.Round, context.Client));
        context.States.Write(context.Client, ClientShift, shift);
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

    public void ApplyAggregate(ServerState server, ReadOnlySpan<float> aggregate)
    {
        ServerEstimate(shiftRate, participation, aggregate, server.Vectors[ServerShift], server.Scratch);
        // ServerStep negates into the scratch buffer in place.
        ServerStep.Apply(server, server.Scratch);
    }
}
