using Cohort.Tensors;

namespace Cohort.Data;

/// <summary>
/// An in-memory labelled data set: samples are ranges of one float array (row after row, or at given
/// offsets, so that subsets and overlapping text windows share memory), with integer labels and,
/// for data sets with a natural partition, the client each sample belongs to.
/// </summary>
public sealed class Dataset
{
    private readonly int[]? _offsets;

    public Dataset(string name, float[] features, Shape sampleShape, int[] labels, int classes, int[]? clientIds = null, IReadOnlyList<string>? clientNames = null, int[]? offsets = null)
    {
        int size = sampleShape.Size;
        if (offsets is null && features.Length != labels.Length * (long)size)
        {
            throw new ArgumentException($"Data set '{name}': {features.Length} feature values do not make {labels.Length} samples of shape {sampleShape}.");
        }
        if (offsets is not null)
        {
            if (offsets.Length != labels.Length)
            {
                throw new ArgumentException($"Data set '{name}': {offsets.Length} sample offsets for {labels.Length} labels.");
            }
            for (int i = 0; i < offsets.Length; i++)
            {
                if (offsets[i] < 0 || (long)offsets[i] + size > features.Length)
                {
                    throw new ArgumentException($"Data set '{name}': sample {i} at offset {offsets[i]} runs past the {features.Length} feature values.");
                }
            }
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentException($"Data set '{name}': label {labels[i]} of sample {i} is outside [0, {classes}).");
            }
        }
        if (clientIds is not null && clientIds.Length != labels.Length)
        {
            throw new ArgumentException($"Data set '{name}': {clientIds.Length} client ids for {labels.Length} samples.");
        }
        Name = name;
        Features = features;
        SampleShape = sampleShape;
        Labels = labels;
        Classes = classes;
        ClientIds = clientIds;
        ClientNames = clientNames;
        _offsets = offsets;
    }

    public string Name { get; }

    /// <summary>The memory samples are read from (see <see cref="Sample"/>).</summary>
    public float[] Features { get; }

    public Shape SampleShape { get; }

    public int SampleSize => SampleShape.Size;

    public int[] Labels { get; }

    public int Classes { get; }

    public int Count => Labels.Length;

    /// <summary>Each sample's client for a natural partition (null when the data has none).</summary>
    public int[]? ClientIds { get; }

    /// <summary>Names of the natural clients (file names, CSV ids), indexed by client id.</summary>
    public IReadOnlyList<string>? ClientNames { get; }

    public ReadOnlySpan<float> Sample(int index) => Features.AsSpan(_offsets?[index] ?? index * SampleSize, SampleSize);

    /// <summary>Copies samples into a batch buffer, one after the other.</summary>
    public void CopySamples(ReadOnlySpan<int> indices, Span<float> destination, Span<int> labels)
    {
        int size = SampleSize;
        for (int i = 0; i < indices.Length; i++)
        {
            Sample(indices[i]).CopyTo(destination.Slice(i * size, size));
            labels[i] = Labels[indices[i]];
        }
    }

    /// <summary>Per-label sample counts.</summary>
    public int[] LabelCounts()
    {
        var counts = new int[Classes];
        foreach (int y in Labels)
        {
            counts[y]++;
        }
        return counts;
    }

    /// <summary>The same samples with other labels (a label-flipping client's view), sharing this one's memory.</summary>
    public Dataset WithLabels(int[] labels, string? name = null)
    {
        if (labels.Length != Count)
        {
            throw new ArgumentException($"Data set '{Name}': {labels.Length} replacement labels for {Count} samples.");
        }
        return new Dataset(name ?? Name, Features, SampleShape, labels, Classes, ClientIds, ClientNames, _offsets);
    }

    /// <summary>A data set of the chosen samples, in the given order, sharing this one's memory.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        var offsets = new int[indices.Length];
        var labels = new int[indices.Length];
        int[]? clients = ClientIds is null ? null : new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int j = indices[i];
            if ((uint)j >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Data set '{Name}': sample index {j} at position {i} is outside [0, {Count}).");
            }
            offsets[i] = _offsets?[j] ?? j * SampleSize;
            labels[i] = Labels[j];
            if (clients is not null)
            {
                clients[i] = ClientIds![j];
            }
        }
        return new Dataset(name ?? Name, Features, SampleShape, labels, Classes, clients, ClientNames, offsets);
    }
}
