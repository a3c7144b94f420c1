using Cohort.Data.Formats;
using Cohort.Tensors;

namespace Cohort.Data;

/// <summary>MNIST-style data sets: the four IDX files (raw or .gz) of a train and a test split in one folder.</summary>
public static class ImageFolder
{
    public static readonly string[] TrainFiles = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"];
    public static readonly string[] TestFiles = ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>Loads both splits; pixels are scaled to [0, 1] (x/255) unless <paramref name="scale"/> is false.</summary>
    public static TrainTest Load(string root, string name, bool scale = true)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Data set '{name}': folder {root} does not exist (fetch it with 'cohort data fetch {name}').");
        }
        return new TrainTest(
            LoadSplit(root, name, TrainFiles[0], TrainFiles[1], scale),
            LoadSplit(root, name, TestFiles[0], TestFiles[1], scale));
    }

    /// <summary>Whether a folder holds the four files.</summary>
    public static bool Holds(string root) =>
        TrainFiles.Concat(TestFiles).All(f => Find(root, f) is not null);

    public static Dataset LoadSplit(string root, string name, string imageFile, string labelFile, bool scale = true)
    {
        string images = Find(root, imageFile) ?? throw new FileNotFoundException($"Data set '{name}': {Path.Combine(root, imageFile)}(.gz) is missing.");
        string labelsPath = Find(root, labelFile) ?? throw new FileNotFoundException($"Data set '{name}': {Path.Combine(root, labelFile)}(.gz) is missing.");
        var (count, rows, cols, pixels) = IdxReader.ReadImages(images);
        int[] labels = IdxReader.ReadLabels(labelsPath);
        if (labels.Length != count)
        {
            throw new DataFormatException($"Data set '{name}': {images} has {count} images but {labelsPath} has {labels.Length} labels.");
        }
        var features = new float[pixels.Length];
        float factor = scale ? 1f / 255f : 1f;
        for (int i = 0; i < pixels.Length; i++)
        {
            features[i] = pixels[i] * factor;
        }
        int classes = labels.Length == 0 ? 10 : Math.Max(10, labels.Max() + 1);
        return new Dataset(name, features, new Shape(1, rows, cols), labels, classes);
    }

    private static string? Find(string root, string file)
    {
        foreach (string candidate in new[] { Path.Combine(root, file), Path.Combine(root, file + ".gz") })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
