using System.Globalization;
using Cohort.Data;
using Cohort.Data.Formats;

namespace Cohort.Federated.Partitions;

/// <summary>
/// Writes each client's training and test samples, in partition order, to a folder of its own
/// (client-K/ with the four IDX files), so a deployed client can hold exactly its simulated split
/// and, with the same seed, compute bit for bit the same updates.
/// </summary>
internal static class PartitionExport
{
    public static string ClientFolder(string root, int client) => Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"client-{client}"));

    /// <summary>Writes every client's folder under <paramref name="root"/>; <paramref name="scaled"/> says whether features are pixels/255 (dataset.scale).</summary>
    public static void Write(FederatedData data, string root, bool scaled)
    {
        if (data.Train.SampleShape.Rank != 3)
        {
            throw new InvalidOperationException($"partition export writes image data sets (IDX files); '{data.Train.Name}' has samples of shape {data.Train.SampleShape}.");
        }
        for (int k = 0; k < data.Clients; k++)
        {
            string folder = ClientFolder(root, k);
            Directory.CreateDirectory(folder);
            WriteSplit(data.Train, data.Partition.Train[k], folder, ImageFolder.TrainFiles, scaled);
            WriteSplit(data.Test, data.Partition.Test[k], folder, ImageFolder.TestFiles, scaled);
        }
    }

    /// <summary>Writes the chosen samples of a data set as an IDX image file and label file.</summary>
    public static void WriteSplit(Dataset set, int[] indices, string folder, string[] files, bool scaled)
    {
        var shape = set.SampleShape;
        if (shape[0] != 1)
        {
            throw new InvalidOperationException($"partition export writes one-channel images; '{set.Name}' has {shape[0]} channels.");
        }
        int size = set.SampleSize;
        var pixels = new byte[indices.Length * size];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            var sample = set.Sample(indices[i]);
            for (int j = 0; j < size; j++)
            {
                pixels[(i * size) + j] = ToPixel(sample[j], scaled, set.Name, indices[i]);
            }
            labels[i] = set.Labels[indices[i]];
        }
        IdxWriter.WriteImages(Path.Combine(folder, files[0]), shape[1], shape[2], pixels, gzip: false);
        IdxWriter.WriteLabels(Path.Combine(folder, files[1]), labels, gzip: false);
    }

    private static byte ToPixel(float value, bool scaled, string name, int index)
    {
        double raw = scaled ? Math.Round(value * 255.0) : value;
        // The loader recomputes the same float from the byte, so the round trip must be exact.
        if (raw is < 0 or > 255 || raw != Math.Floor(raw) || (scaled ? (byte)raw * (1f / 255f) : (byte)raw) != value)
        {
            throw new InvalidOperationException($"partition export: sample {index} of '{name}' holds {value}, not an 8-bit pixel{(scaled ? " scaled by 1/255" : "")}.");
        }
        return (byte)raw;
    }
}
