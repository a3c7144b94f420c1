using System.Numerics.Tensors;
using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// Uplink compression as an update stage: each client's update is encoded to its message, and the
/// message decoded as the server would, so the aggregator sees exactly what was sent and the stage
/// reports the message's length. Error feedback keeps its vector per client and exchange in the state
/// store (EF: the client's residual; EF21: the client's estimate gᵢ). EF21 runs as EF21-PP (Fatkhullin
/// et al. 2021): the server keeps g = (1/n)·Σ_all gᵢ and moves it by the cohort's messages only,
/// g ← g + (Σ_S wᵢcᵢ)/(Σ_all w), so clients outside the cohort count with the estimates they last sent.
/// </summary>
internal sealed class CompressionStage(ICompressor compressor, ErrorFeedback feedback, IClientStateStore states) : IUpdateStage, IEncodingStage
{
    private static readonly long Purpose = RandomStream.Purpose("compression-uplink");

    /// <summary>The server vector of EF21's g (per exchange, each declared as its own state).</summary>
    public const string ServerEstimate = "ef21.mean";

    [ThreadStatic]
    private static float[]? t_memory;

    [ThreadStatic]
    private static float[]? t_input;

    public string Name => compressor.Name;

    public ICompressor Compressor => compressor;

    public IReadOnlyList<ICompressor> Decoders => [compressor];

    // EF21's message c is aggregated as it is (the server stage keeps g): nothing kept per client.
    public ClientVector? ServerState => null;

    public ErrorFeedback Feedback => feedback;

    /// <summary>What each client keeps: its EF residual or its EF21 estimate gᵢ (one per exchange).</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("compression").Vector("ef.residual").Vector("ef21.estimate");

    /// <summary>Exchange 0's error-feedback vector (<see cref="ClientVector.In"/> gives the others').</summary>
    public ClientVector StateName => ClientState[feedback == ErrorFeedback.Ef21 ? "ef21.estimate" : "ef.residual"];

    public long OnClient(StageContext context, Span<float> update)
    {
        var random = ExchangeState.Stream(context, Purpose);
        if (feedback == ErrorFeedback.None)
        {
            return WireRoundTrip.Send(compressor, update, update, random);
        }
        var name = StateName.In(context.Exchange);
        var memory = Scratch.Of(ref t_memory, update.Length);
        if (!states.TryRead(context.Client, name, memory))
        {
            memory.Clear();
        }
        var input = Scratch.Of(ref t_input, update.Length);
        int bytes;
        if (feedback == ErrorFeedback.Ef)
        {
            TensorPrimitives.Add(update, memory, input);
            bytes = WireRoundTrip.Send(compressor, input, update, random);
            TensorPrimitives.Subtract(input, update, memory);
        }
        else
        {
            // The client sends c = C(u − gᵢ) and sets gᵢ ← gᵢ + c; the server aggregates the c's.
            TensorPrimitives.Subtract(update, memory, input);
            bytes = WireRoundTrip.Send(compressor, input, update, random);
            TensorPrimitives.Add(memory, update, memory);
        }
        states.Write(context.Client, name, memory);
        return bytes;
    }

    public void OnServer(StageContext context, Span<float> aggregate)
    {
        if (feedback != ErrorFeedback.Ef21)
        {
            return;
        }
        var server = context.Server ?? throw new InvalidOperationException("ef21: the server hook needs the server's state to keep g.");
        // Each exchange keeps its own g, of that exchange's update length.
        string name = ExchangeState.Name(ServerEstimate, context.Exchange);
        var g = server.Declare(new StateDeclaration(ExchangeState.Name("ef21", context.Exchange)).Vector(name, aggregate.Length)).Vector(name);
        // The aggregate is the cohort's weighted mean of c; times the cohort's share it is Σ_S wᵢcᵢ / Σ_all w.
        TensorPrimitives.MultiplyAdd(aggregate, (float)context.Participation, g, g);
        g.CopyTo(aggregate);
    }
}
