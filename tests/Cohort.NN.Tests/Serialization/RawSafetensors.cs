using System.Buffers.Binary;
using System.Text;

namespace Cohort.NN.Tests.Serialization;

/// <summary>Builds safetensors bytes by hand, including malformed ones the writer would never produce.</summary>
internal static class RawSafetensors
{
    public static byte[] Build(string headerJson, byte[] data, ulong? declaredHeaderLength = null)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredHeaderLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        return bytes;
    }
}
