using Cohort.NN.Modules;
using Cohort.Tensors;

namespace Cohort.NN.Serialization;

/// <summary>
/// Saves and loads a model's parameters and buffers under their PyTorch state-dict names, so files
/// move between Cohort and PyTorch in both directions.
/// </summary>
internal static class ModelSafetensors
{
    /// <summary>PyTorch's batch-norm step counter (int64); Cohort keeps no such buffer.</summary>
    private const string IgnoredSuffix = "num_batches_tracked";

    /// <summary>Parameters then buffers, each under its state-dict name.</summary>
    public static IReadOnlyList<KeyValuePair<string, Tensor>> StateDict(this Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.NamedParameters.Concat(model.NamedBuffers)
            .Select(t => KeyValuePair.Create(NameOf(model, t), t))
            .ToList();
    }

    /// <summary>Writes the state dict as F32, atomically, with metadata "format" = "pt" and "model" = the model's name.</summary>
    public static void SaveSafetensors(this Model model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var merged = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt", ["model"] = model.Name };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }
        SafetensorsWriter.Write(path, model.StateDict(), merged);
    }

    public static void LoadSafetensors(this Model model, string path) => model.LoadSafetensors(SafetensorsFile.Read(path));

    /// <summary>
    /// Copies every parameter and buffer from the file by name. The file's tensors (those selected by
    /// <paramref name="include"/>, default all) must match the model's names, shapes and a float type
    /// exactly; otherwise nothing is copied and the error lists every mismatch.
    /// </summary>
    public static void LoadSafetensors(this Model model, SafetensorsFile file, Func<string, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(file);
        var state = model.StateDict();
        var problems = Check(state, file, include);
        if (problems.Count > 0)
        {
            throw new SafetensorsException(
                $"Cannot load safetensors file '{file.Path}' into model '{model.Name}': {string.Join("; ", problems)}.");
        }
        foreach (var (name, tensor) in state)
        {
            file.ReadInto(name, tensor.Data);
        }
    }

    private static List<string> Check(IReadOnlyList<KeyValuePair<string, Tensor>> state, SafetensorsFile file, Func<string, bool>? include)
    {
        var problems = new List<string>();
        var expected = state.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (name, tensor) in state)
        {
            if (!file.Contains(name))
            {
                problems.Add($"missing tensor '{name}' (expected F32 {tensor.Shape})");
                continue;
            }
            var entry = file.Entry(name);
            if (!entry.DType.IsReadableAsFloat())
            {
                problems.Add($"tensor '{name}' has dtype {entry.DType.Name()} {entry.Shape}, expected F32 {tensor.Shape}");
            }
            else if (entry.Shape != tensor.Shape)
            {
                problems.Add($"tensor '{name}' has shape {entry.Shape}, expected {tensor.Shape}");
            }
        }
        foreach (var entry in file.Entries)
        {
            bool selected = include?.Invoke(entry.Name) ?? true;
            if (selected && !expected.ContainsKey(entry.Name) && !IsIgnored(entry.Name))
            {
                problems.Add($"unexpected tensor '{entry.Name}' ({entry.DType.Name()} {entry.Shape}), which the model does not have");
            }
        }
        return problems;
    }

    private static bool IsIgnored(string name) => name == IgnoredSuffix || name.EndsWith("." + IgnoredSuffix, StringComparison.Ordinal);

    private static string NameOf(Model model, Tensor t) =>
        t.Name ?? throw new InvalidOperationException($"Model '{model.Name}' has an unnamed tensor {t.Shape}; every parameter and buffer needs its state-dict name.");
}
