namespace Cohort.Transport.Wire;

/// <summary>Protobuf's base-128 varints, for the hand-written framing and chunk codec.</summary>
internal static class Varint
{
    public static int Size(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static int Write(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static ulong Read(ReadOnlySpan<byte> source, ref int at, string what)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64 && at < source.Length; shift += 7)
        {
            byte b = source[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new ProtocolException(400, $"{what}: a broken varint.");
    }
}
