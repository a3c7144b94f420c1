using Cohort.Federated.Compression;
using Cohort.Federated.Wire;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Compression;

/// <summary>Helpers for the compression tests: inputs, one wire trip, header sizes.</summary>
internal static class Codes
{
    public static float[] Normal(int n, ulong seed, float std = 1f)
    {
        var values = new float[n];
        var random = RandomStream.Create(seed, 17);
        random.FillNormal(values, 0, std);
        return values;
    }

    /// <summary>Encodes once; returns the message and what it decodes to.</summary>
    public static (byte[] Message, float[] Decoded) Send(ICompressor compressor, float[] input, ulong seed = 1)
    {
        var random = RandomStream.Create(seed, 99);
        var message = new MessageWriter();
        CompressedMessage.Encode(compressor, input, ref random, message);
        var decoded = new float[input.Length];
        CompressedMessage.Decode(compressor, message.Written, decoded);
        return (message.Written.ToArray(), decoded);
    }

    /// <summary>The frame's bytes around a payload of the given length.</summary>
    public static int Framed(int count, int payload) => 1 + Varint.Size((ulong)count) + Varint.Size((ulong)payload) + payload;

    public static int Bytes(long bits) => (int)((bits + 7) / 8);
}
