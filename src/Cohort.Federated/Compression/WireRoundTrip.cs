using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// Sends a vector through a compressor as the network would: encode to a framed message, then decode
/// those bytes (the receiver's side) into the output. The message length is the exact byte count.
/// </summary>
internal static class WireRoundTrip
{
    [ThreadStatic]
    private static MessageWriter? t_message;

    [ThreadStatic]
    private static MessageWriter? t_recorder;

    /// <summary>
    /// When set, every message this thread sends is also copied here (the last one stays): a deployed
    /// client runs the simulation's code unchanged and puts the recorded frame on the wire.
    /// </summary>
    public static MessageWriter? Recorder
    {
        get => t_recorder;
        set => t_recorder = value;
    }

    /// <summary><paramref name="output"/> = what the receiver decodes; returns the message's bytes. Input and output may be the same span.</summary>
    public static int Send(ICompressor compressor, ReadOnlySpan<float> input, Span<float> output, RandomStream random)
    {
        var message = t_message ??= new MessageWriter();
        int bytes = CompressedMessage.Encode(compressor, input, ref random, message);
        if (t_recorder is { } recorder)
        {
            recorder.Clear();
            message.Written.CopyTo(recorder.Reserve(bytes));
        }
        CompressedMessage.Decode(compressor, message.Written, output);
        return bytes;
    }
}
