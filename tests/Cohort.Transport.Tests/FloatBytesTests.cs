using System.Runtime.InteropServices;
using Cohort.Transport.Wire;
using Google.Protobuf;

namespace Cohort.Transport.Tests;

/// <summary>A chunk written straight from its vector carries the values' little-endian float32 bytes, as a copy would.</summary>
public class FloatBytesTests
{
    private static readonly float[] Vector = [1f, -2.5f, float.Epsilon, 3.25e7f, -0f, 0.1f];

    [Fact]
    public void ASliceIsItsValuesLittleEndianBytes()
    {
        var bytes = FloatBytes.Of(Vector.AsMemory(2, 3));
        // Reference: each value's bytes as BitConverter writes them on this little-endian machine.
        byte[] expected = [.. BitConverter.GetBytes(float.Epsilon), .. BitConverter.GetBytes(3.25e7f), .. BitConverter.GetBytes(-0f)];
        Assert.Equal(expected, bytes.ToArray());
    }

    [Fact]
    public void APinnedSliceStartsAtTheRequestedByte()
    {
        var bytes = FloatBytes.Of(Vector.AsMemory(1, 4));
        using var pinned = bytes[1..].Pin();
        byte[] read = new byte[3];
        unsafe
        {
            Marshal.Copy((nint)pinned.Pointer, read, 0, read.Length);
        }
        Assert.Equal(BitConverter.GetBytes(-2.5f)[1..], read);
    }

    [Fact]
    public void AChunkSerializesTheSameBytesAsACopiedOne()
    {
        var wrapped = new TensorChunk { Offset = 7, Values = UnsafeByteOperations.UnsafeWrap(FloatBytes.Of(Vector)) };
        var copied = new TensorChunk { Offset = 7, Values = ByteString.CopyFrom(MemoryMarshal.AsBytes(Vector.AsSpan()).ToArray()) };
        Assert.Equal(copied.ToByteArray(), wrapped.ToByteArray());
    }
}
