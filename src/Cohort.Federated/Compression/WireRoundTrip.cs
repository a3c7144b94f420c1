using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// Sends a vector through a compressor as the network would: encode to a framed message, then decode
/// those bytes (the receiver's side) into the output. The message length is the exact byte count.
/// </summary>
public static class WireRoundTrip
{
    [ThreadStatic]
    private static MessageWriter? t_message;

    /// <summary><paramref name="output"/> = what the receiver decodes; returns the message's bytes. Input and output may be the same span.</summary>
    public static int Send(ICompressor compressor, ReadOnlySpan<float> input, Span<float> output, RandomStream random)
    {
        var message = t_message ??= new MessageWriter();
        int bytes = CompressedMessage.Encode(compressor, input, ref random, message);
        CompressedMessage.Decode(compressor, message.Written, output);
        return bytes;
    }
}
