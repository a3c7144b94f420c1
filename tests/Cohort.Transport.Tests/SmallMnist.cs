using Cohort.Data;
using Cohort.Data.Tests;
using Cohort.Federated.Config;
using Cohort.Federated.Partitions;

namespace Cohort.Transport.Tests;

/// <summary>A small MNIST subset written once as an IDX folder, and experiments over it, so servers and clients load it through the real loaders.</summary>
public static class SmallMnist
{
    private static readonly Lazy<string> Folder = new(Write);

    public static string Root => Folder.Value;

    public static ExperimentConfig Config(params string[] assignments)
    {
        var config = new ExperimentConfig();
        config.Set("dataset.name", "mnist");
        config.Set("dataset.root", Root);
        foreach (string a in new[] { "model=logreg", "partition.clients=4", "clients_per_round=3", "rounds=2", "client.batch_size=20", "seed=11", "threads=1" }.Concat(assignments))
        {
            config.Set(a);
        }
        return config;
    }

    /// <summary>A fresh temporary folder, removed by the caller's using.</summary>
    public static TempFolder Temp() => new();

    private static string Write()
    {
        var data = ImageFolder.Load(SharedData.Mnist, "mnist");
        string root = Path.Combine(Path.GetTempPath(), $"cohort-transport-mnist-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        PartitionExport.WriteSplit(data.Train, Enumerable.Range(0, 400).ToArray(), root, ImageFolder.TrainFiles, scaled: true);
        PartitionExport.WriteSplit(data.Test, Enumerable.Range(0, 100).ToArray(), root, ImageFolder.TestFiles, scaled: true);
        return root;
    }
}

public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cohort-transport-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown; the temp folder is cleaned by the system.
        }
    }
}
