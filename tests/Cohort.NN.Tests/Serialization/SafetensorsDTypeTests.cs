using System.Buffers.Binary;
using Cohort.NN.Serialization;

namespace Cohort.NN.Tests.Serialization;

public class SafetensorsDTypeTests
{
    private static readonly float[] Values = [1f, -2.5f, 0.15625f, 65504f];

    [Fact]
    public void F64IsConvertedToFloat()
    {
        var data = new byte[Values.Length * 8];
        for (int i = 0; i < Values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8 * i), Values[i]);
        }
        Assert.Equal(Values, Read("F64", data));
    }

    [Fact]
    public void F16IsConvertedToFloat()
    {
        var data = new byte[Values.Length * 2];
        for (int i = 0; i < Values.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(2 * i), (Half)Values[i]);
        }
        Assert.Equal(Values, Read("F16", data));
    }

    [Fact]
    public void BF16IsConvertedToFloat()
    {
        // bfloat16 is float32's upper 16 bits; these values fit its 8-bit significand exactly.
        float[] exact = [1f, -2.5f, 0.15625f, 65536f];
        var data = new byte[exact.Length * 2];
        for (int i = 0; i < exact.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * i), (ushort)(BitConverter.SingleToInt32Bits(exact[i]) >>> 16));
        }
        Assert.Equal(exact, Read("BF16", data));
    }

    [Theory]
    [InlineData("I64", 8)]
    [InlineData("I32", 4)]
    [InlineData("U8", 1)]
    [InlineData("BOOL", 1)]
    public void NonFloatTypesAreAClearErrorNamingTensorAndType(string dtype, int size)
    {
        var file = SafetensorsFile.Parse(RawSafetensors.Build(
            $$$"""{"counts":{"dtype":"{{{dtype}}}","shape":[2],"data_offsets":[0,{{{2 * size}}}]}}""", new byte[2 * size]), "ints.safetensors");
        Assert.Equal(dtype, file.Entry("counts").DType.Name());
        var e = Assert.Throws<SafetensorsException>(() => file.ReadTensor("counts"));
        Assert.Contains("'ints.safetensors'", e.Message);
        Assert.Contains("'counts'", e.Message);
        Assert.Contains(dtype, e.Message);
    }

    private static float[] Read(string dtype, byte[] data)
    {
        var file = SafetensorsFile.Parse(RawSafetensors.Build(
            $$$"""{"v":{"dtype":"{{{dtype}}}","shape":[{{{Values.Length}}}],"data_offsets":[0,{{{data.Length}}}]}}""", data));
        return file.ReadTensor("v").ToArray();
    }
}
