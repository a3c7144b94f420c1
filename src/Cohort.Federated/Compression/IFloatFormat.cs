namespace Cohort.Federated.Compression;

/// <summary>A number format a float is rounded to and stored in: its width on the wire and its conversions.</summary>
internal interface IFloatFormat
{
    static abstract int Bits { get; }

    static abstract uint Encode(float value);

    static abstract float Decode(uint code);

    /// <summary>
    /// Encodes every value at once into the payload: <see cref="Bits"/> a value, least significant bit first
    /// (whole-byte codes little-endian); false where the format has no faster path than one code at a time.
    /// </summary>
    static virtual bool TryEncodeAll(ReadOnlySpan<float> values, Span<byte> codes) => false;

    static virtual bool TryDecodeAll(ReadOnlySpan<byte> codes, Span<float> values) => false;
}
