using System.Runtime.InteropServices;

namespace Cohort.Federated.Aggregation.Robust;

/// <summary>
/// The saved running state of a <see cref="BufferedAggregator"/>: the rule's name, the model's length,
/// and each held update's weight and values in the order they arrived.
/// </summary>
internal static class BufferedUpdates
{
    private const string Magic = "cohort-buffered-updates-1";

    public static void Write(Stream destination, string rule, int length, IReadOnlyList<float[]> updates, IReadOnlyList<double> weights)
    {
        using var writer = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(rule);
        writer.Write(length);
        writer.Write(updates.Count);
        for (int i = 0; i < updates.Count; i++)
        {
            writer.Write(weights[i]);
            writer.Write(MemoryMarshal.AsBytes(updates[i].AsSpan()));
        }
    }

    /// <summary>Reads saved updates, passing each to <paramref name="add"/>; one of another rule or model length is refused.</summary>
    public static void Read(Stream source, string rule, int length, Action<ReadOnlySpan<float>, double> add)
    {
        using var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != Magic)
            {
                throw new InvalidDataException($"Aggregator {rule}: the saved state is not a set of held updates (another aggregator's, or damaged).");
            }
            string saved = reader.ReadString();
            int savedLength = reader.ReadInt32();
            if (saved != rule || savedLength != length)
            {
                throw new InvalidDataException($"Aggregator {rule}: the saved updates are {saved}'s, of {savedLength} values; this is {rule} for a model of {length}.");
            }
            int count = reader.ReadInt32();
            if (count < 0)
            {
                throw new InvalidDataException($"Aggregator {rule}: a saved count of {count} updates.");
            }
            var values = new float[length];
            for (int i = 0; i < count; i++)
            {
                double weight = reader.ReadDouble();
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
                add(values, weight);
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"Aggregator {rule}: the saved updates are cut short.");
        }
    }
}
