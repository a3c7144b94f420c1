using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// Compressed broadcast: the server keeps the model its clients hold (<see cref="View"/>) and each round
/// sends C(model − view), which every client adds to its copy. What C drops stays in model − view and
/// is sent in later rounds, so the downlink carries its own error feedback. The view starts equal to the
/// model, as every replica builds the initial model from the seed.
/// </summary>
public sealed class DownlinkCompression(ICompressor compressor, float[] initial)
{
    private static readonly long Purpose = RandomStream.Purpose("compression-downlink");
    private readonly float[] _difference = new float[initial.Length];

    /// <summary>The model the clients hold and train from.</summary>
    public float[] View { get; } = (float[])initial.Clone();

    /// <summary>Encodes this round's broadcast, moves the clients' view by what it decodes to; returns the message's bytes.</summary>
    public int Broadcast(ReadOnlySpan<float> model, ulong seed, int round)
    {
        System.Numerics.Tensors.TensorPrimitives.Subtract(model, View, _difference);
        int bytes = WireRoundTrip.Send(compressor, _difference, _difference, RandomStream.Create(seed, Purpose, round));
        System.Numerics.Tensors.TensorPrimitives.Add(View, _difference, View);
        return bytes;
    }
}
