namespace Cohort.Federated.Outputs;

/// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord files checksum their records.</summary>
internal static class Crc32C
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return ~crc;
    }

    /// <summary>
    /// The CRC of data seen in pieces: start from 0, pass each piece with the previous result; equals
    /// <see cref="Compute"/> of the pieces joined. Eight bytes a step with the CPU's CRC instruction, for large files.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        while (data.Length >= 8)
        {
            state = System.Numerics.BitOperations.Crc32C(state, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data)
        {
            state = System.Numerics.BitOperations.Crc32C(state, b);
        }
        return ~state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            }
            table[i] = c;
        }
        return table;
    }
}
