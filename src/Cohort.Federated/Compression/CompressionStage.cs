using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// Uplink compression as an update stage: each client's update is encoded to its message, and the
/// message decoded as the server would, so the aggregator sees exactly what was sent and the stage
/// reports the message's length. Error feedback keeps its vector per client in the state store
/// (EF: the client's residual; EF21: the estimate g that client and server both hold).
/// </summary>
public sealed class CompressionStage(ICompressor compressor, ErrorFeedback feedback, IClientStateStore states) : IUpdateStage
{
    private static readonly long Purpose = RandomStream.Purpose("compression-uplink");

    [ThreadStatic]
    private static float[]? t_memory;

    [ThreadStatic]
    private static float[]? t_input;

    public string Name => compressor.Name;

    public ICompressor Compressor => compressor;

    public ErrorFeedback Feedback => feedback;

    /// <summary>The state-store name of the error-feedback vector.</summary>
    public string StateName => feedback == ErrorFeedback.Ef21 ? "ef21.estimate" : "ef.residual";

    public long OnClient(StageContext context, Span<float> update)
    {
        var random = RandomStream.Create(context.Seed, Purpose, context.Round, context.Client);
        if (feedback == ErrorFeedback.None)
        {
            return WireRoundTrip.Send(compressor, update, update, random);
        }
        var memory = Scratch.Of(ref t_memory, update.Length);
        if (!states.TryRead(context.Client, StateName, memory))
        {
            memory.Clear();
        }
        var input = Scratch.Of(ref t_input, update.Length);
        int bytes;
        if (feedback == ErrorFeedback.Ef)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(update, memory, input);
            bytes = WireRoundTrip.Send(compressor, input, update, random);
            System.Numerics.Tensors.TensorPrimitives.Subtract(input, update, memory);
        }
        else
        {
            System.Numerics.Tensors.TensorPrimitives.Subtract(update, memory, input);
            bytes = WireRoundTrip.Send(compressor, input, input, random);
            System.Numerics.Tensors.TensorPrimitives.Add(memory, input, memory);
            memory.CopyTo(update);
        }
        states.Write(context.Client, StateName, memory);
        return bytes;
    }

    public void OnServer(StageContext context, Span<float> aggregate)
    {
    }
}
