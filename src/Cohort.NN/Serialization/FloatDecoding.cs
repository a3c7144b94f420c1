using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Cohort.NN.Serialization;

/// <summary>Little-endian float32, float64, float16 and bfloat16 bytes to float32.</summary>
internal static class FloatDecoding
{
    public static void Decode(SafetensorsDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32 when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case SafetensorsDType.F32:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
                }
                break;
            case SafetensorsDType.F64:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(8 * i)..]);
                }
                break;
            case SafetensorsDType.F16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(2 * i)..]);
                }
                break;
            case SafetensorsDType.BF16:
                // bfloat16 is the upper half of a float32.
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]) << 16);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), $"{dtype.Name()} does not decode to float.");
        }
    }
}
