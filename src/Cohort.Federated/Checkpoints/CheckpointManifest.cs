using System.Text.Json;
using System.Text.Json.Serialization;
using Cohort.Federated.Outputs;

namespace Cohort.Federated.Checkpoints;

/// <summary>
/// checkpoint.json in a run's checkpoint folder: the experiment it belongs to, the last round saved
/// and the files that hold it, and whether the run is finished. Written last and atomically, so it
/// only ever names files that are whole.
/// </summary>
internal sealed record CheckpointManifest(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("experiment")] string Experiment,
    [property: JsonPropertyName("round")] int Round,
    [property: JsonPropertyName("finished")] bool Finished,
    [property: JsonPropertyName("files")] IReadOnlyList<string> Files)
{
    public const string FileName = "checkpoint.json";
    public const string CurrentFormat = "cohort-run-checkpoint-2";
    private const string FormerFormat = "cohort-run-checkpoint-1";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Options) + "\n");

    /// <summary>The manifest at <paramref name="path"/> (null when there is none); a malformed one is an error naming it.</summary>
    public static CheckpointManifest? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        CheckpointManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new RunFileException($"{path}: not a checkpoint manifest ({e.Message}).", e);
        }
        if (manifest?.Format == FormerFormat)
        {
            throw new RunFileException($"{path}: a checkpoint of format {FormerFormat}, written by an earlier version (its server state holds no scalars); this version reads {CurrentFormat}. Finish the run with the version that wrote it, or start it again in another folder.");
        }
        if (manifest is null || manifest.Format != CurrentFormat || manifest.Experiment is null || manifest.Files is null || manifest.Round < 0)
        {
            throw new RunFileException($"{path}: not a checkpoint manifest of format {CurrentFormat}.");
        }
        return manifest;
    }
}
