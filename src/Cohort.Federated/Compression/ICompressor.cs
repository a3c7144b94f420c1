using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// A lossy (or lossless) code for a vector: <see cref="Encode"/> writes the payload bytes that would go
/// on the wire, <see cref="Decode"/> rebuilds the vector the receiver sees from those bytes alone.
/// Randomized codes draw from the stream they are given, so a message depends only on (seed, purpose,
/// round, client).
/// </summary>
public interface ICompressor
{
    /// <summary>The id written in the message header (<see cref="CompressorIds"/>).</summary>
    byte Id { get; }

    string Name { get; }

    /// <summary>Whether E[decode(encode(x))] = x; error feedback is for the biased ones.</summary>
    bool Unbiased { get; }

    /// <summary>
    /// For an unbiased code, ω with E‖C(x) − x‖² ≤ ω‖x‖² for every x of <paramref name="length"/> values
    /// (what DIANA's shift rate is set from); NaN for a biased code, which has none.
    /// </summary>
    double VarianceBound(int length) => double.NaN;

    void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer);

    /// <summary>Writes all of <paramref name="values"/> (its length is the header's count).</summary>
    void Decode(ref MessageReader reader, Span<float> values);
}
