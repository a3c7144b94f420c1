using System.Numerics.Tensors;
using Cohort.Federated.Algorithms;
using Cohort.Federated.State;

namespace Cohort.Federated.Compression;

/// <summary>
/// A one-exchange method whose update travels as PowerSGD factors, in two exchanges of the round.
/// Exchange 0: the server broadcasts Q (warm-started: last round's Q̂) with the model; each client runs the
/// method's local work, adds its error-feedback residual, keeps M in its state and sends P = M·Q and the
/// values outside the matrices; the server averages and orthonormalizes P into P̂. Exchange 1: the server
/// broadcasts P̂; each client sends Qᵢ = Mᵀ·P̂ and keeps the residual M − P̂·Qᵢᵀ; the server averages Q̂,
/// and the method's server step gets P̂·Q̂ᵀ (and the mean of the other values) as its aggregate.
/// Every message is dense float32; Q, P̂ and the other values are server vectors, so a restarted server
/// or a client that missed rounds gets them from the broadcast.
/// </summary>
internal sealed class PowerSgdExchanges(IFederatedAlgorithm method, PowerSgd power, bool errorFeedback, ulong seed) : IFederatedAlgorithm
{
    public const string SharedQ = "powersgd.q";
    public const string OrthonormalP = "powersgd.p";
    private const string MeanRest = "powersgd.rest";
    private const string Held = "powersgd.update";
    private const string Residual = "powersgd.residual";
    private const string Report = "powersgd.report";
    private const string Message = "powersgd.message";

    /// <summary>What each client keeps between the exchanges (its update and P report) and across rounds (its residual).</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("powersgd").Vector(Held).Vector(Residual).Vector(Report);

    private static readonly ClientVector HeldState = ClientState[Held];
    private static readonly ClientVector ResidualState = ClientState[Residual];
    private static readonly ClientVector ReportState = ClientState[Report];
    private float[] _aggregate = [];

    public IFederatedAlgorithm Method => method;

    public PowerSgd Power => power;

    public string Name => method.Name;

    public int Exchanges => 2;

    /// <summary>The local work is in exchange 0; exchange 1 only multiplies.</summary>
    public int TrainingExchange => 0;

    public IReadOnlyList<string> Downlink(int exchange) => exchange == 0 ? [.. method.Downlink(0), SharedQ] : [OrthonormalP];

    public int UpdateLength(int exchange, int modelLength) => exchange == 0 ? power.PLength + power.VectorLength : power.QLength;

    public void InitializeServer(ServerState server)
    {
        method.InitializeServer(server);
        var state = server.Declare(new StateDeclaration("powersgd").Vector(SharedQ, power.QLength).Vector(OrthonormalP, power.PLength).Vector(MeanRest, power.VectorLength));
        power.InitialQ(seed).CopyTo(state.Vector(SharedQ), 0);
    }

    public ClientResult RunClient(ClientContext context)
    {
        var buffers = context.Buffers;
        var update = buffers.Update;
        if (context.Exchange == 0)
        {
            var result = method.RunClient(context);
            if (errorFeedback && context.States.TryRead(context.Client, ResidualState, buffers.Vector(Residual)))
            {
                TensorPrimitives.Add(update, buffers.Vector(Residual), update);
            }
            context.States.Write(context.Client, HeldState, update);
            context.States.Write(context.Client, ReportState, ReportCodec.Write(result));
            var message = buffers.Vector(Message).AsSpan(0, UpdateLength(0, update.Length));
            power.ClientP(update, context.Broadcast(SharedQ), message);
            message.CopyTo(update);
            return result;
        }
        var held = buffers.Vector(Held);
        Span<float> report = stackalloc float[ReportCodec.Length];
        if (!context.States.TryRead(context.Client, HeldState, held) || !context.States.TryRead(context.Client, ReportState, report))
        {
            throw new InvalidOperationException($"powersgd: client {context.Client} holds no update of round {context.Round}'s first exchange.");
        }
        var pHat = context.Broadcast(OrthonormalP);
        var ownQ = update.AsSpan(0, power.QLength);
        power.ClientQ(held, pHat, ownQ);
        if (errorFeedback)
        {
            var residual = buffers.Vector(Residual);
            power.Residual(held, pHat, ownQ, residual);
            context.States.Write(context.Client, ResidualState, residual);
        }
        // The round's report is the local work's, done in the first exchange.
        return ReportCodec.Read(report);
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate)
    {
        if (aggregate.Exchange == 0)
        {
            var p = server.Vector(OrthonormalP);
            aggregate.Update.AsSpan(0, power.PLength).CopyTo(p);
            power.Orthonormalize(p);
            aggregate.Update.AsSpan(power.PLength, power.VectorLength).CopyTo(server.Vector(MeanRest));
            return;
        }
        if (_aggregate.Length != power.Length)
        {
            _aggregate = new float[power.Length];
        }
        var qHat = aggregate.Update.AsSpan(0, power.QLength);
        power.Reconstruct(server.Vector(OrthonormalP), qHat, server.Vector(MeanRest), _aggregate);
        qHat.CopyTo(server.Vector(SharedQ));
        method.ApplyAggregate(server, aggregate with { Exchange = 0, Update = _aggregate });
    }

    /// <summary>The first exchange's report kept for the second, bit for bit: the loss sum's 64 bits, samples and batches as 32-bit patterns.</summary>
    private static class ReportCodec
    {
        public const int Length = 4;

        public static float[] Write(ClientResult result)
        {
            long loss = BitConverter.DoubleToInt64Bits(result.LossSum);
            return [BitConverter.Int32BitsToSingle((int)loss), BitConverter.Int32BitsToSingle((int)(loss >> 32)),
                BitConverter.Int32BitsToSingle(result.Samples), BitConverter.Int32BitsToSingle(result.Batches)];
        }

        public static ClientResult Read(ReadOnlySpan<float> values)
        {
            long loss = (uint)BitConverter.SingleToInt32Bits(values[0]) | ((long)BitConverter.SingleToInt32Bits(values[1]) << 32);
            return new ClientResult(BitConverter.SingleToInt32Bits(values[2]), BitConverter.Int64BitsToDouble(loss), BitConverter.SingleToInt32Bits(values[3]));
        }
    }
}
