using Cohort.Federated.Algorithms;
using Cohort.Federated.State;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// Compressed broadcast: the server keeps the model its clients hold (the view, a server vector, so it
/// is saved with the server's state) and each round sends C(model − view), which every client adds to
/// its copy. What C drops stays in model − view and is sent in later rounds, so the downlink carries its
/// own error feedback. The view starts equal to the model, as every replica builds the initial model
/// from the seed.
/// </summary>
internal sealed class DownlinkCompression(ICompressor compressor)
{
    /// <summary>The name of the view in the server's state.</summary>
    public const string ViewName = "downlink.view";
    private static readonly StateDeclaration State = new StateDeclaration("downlink").Vector(ViewName);
    private static readonly long Purpose = RandomStream.Purpose("compression-downlink");
    private readonly MessageWriter _message = new();
    private float[] _difference = [];

    public ICompressor Compressor => compressor;

    /// <summary>The last broadcast's frame, as the wire carries it.</summary>
    public ReadOnlyMemory<byte> Message => _message.Written.ToArray();

    /// <summary>The model the clients hold (created equal to the server's model on first use).</summary>
    public static float[] ViewOf(ServerState server) =>
        server.Declare(State, view => server.Global.CopyTo(view.Vector(ViewName), 0)).Vector(ViewName);

    /// <summary>Encodes this round's broadcast; <paramref name="next"/> = <paramref name="view"/> + what it decodes to (the view clients train from); returns the message's bytes.</summary>
    public int Broadcast(ReadOnlySpan<float> model, ReadOnlySpan<float> view, Span<float> next, ulong seed, int round)
    {
        if (_difference.Length != view.Length)
        {
            _difference = new float[view.Length];
        }
        System.Numerics.Tensors.TensorPrimitives.Subtract(model, view, _difference);
        var previous = WireRoundTrip.Recorder;
        WireRoundTrip.Recorder = _message;
        int bytes;
        try
        {
            bytes = WireRoundTrip.Send(compressor, _difference, _difference, RandomStream.Create(seed, Purpose, round));
        }
        finally
        {
            WireRoundTrip.Recorder = previous;
        }
        System.Numerics.Tensors.TensorPrimitives.Add(view, _difference, next);
        return bytes;
    }

    /// <summary>view ← view + the decoded difference: the server's step and a client's, so both hold the same bits.</summary>
    public static void ApplyDifference(Span<float> view, ReadOnlySpan<float> difference) =>
        System.Numerics.Tensors.TensorPrimitives.Add(view, difference, view);
}
