using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// The self-describing frame of one compressed vector, as the simulation counts it and the transport
/// carries it: compressor id (1 byte), value count (varint), payload length (varint), payload.
/// </summary>
internal static class CompressedMessage
{
    /// <summary>Encodes <paramref name="values"/> into <paramref name="writer"/> (cleared first); returns the message length.</summary>
    public static int Encode(ICompressor compressor, ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        writer.BeginFrame();
        compressor.Encode(values, ref random, writer);
        writer.EndFrame(compressor.Id, values.Length);
        return writer.Length;
    }

    /// <summary>Decodes a whole message into <paramref name="values"/>, checking the id, the count and that the payload is used exactly.</summary>
    public static void Decode(ICompressor compressor, ReadOnlySpan<byte> message, Span<float> values)
    {
        var header = new MessageReader(message);
        byte id = header.ReadByte();
        if (id != compressor.Id)
        {
            throw new FormatException($"Compressed message: compressor id {id}, expected {compressor.Id} ({compressor.Name}).");
        }
        ulong count = header.ReadVarint();
        if (count != (ulong)values.Length)
        {
            throw new FormatException($"Compressed message: {count} values, expected {values.Length}.");
        }
        ulong length = header.ReadVarint();
        if (length != (ulong)header.Remaining)
        {
            throw new FormatException($"Compressed message: payload of {length} bytes, {header.Remaining} present.");
        }
        var reader = new MessageReader(message[header.Position..]);
        compressor.Decode(ref reader, values);
        reader.DropBits();
        if (reader.Remaining != 0)
        {
            throw new FormatException($"Compressed message: {reader.Remaining} payload bytes left after decoding {compressor.Name}.");
        }
    }
}
