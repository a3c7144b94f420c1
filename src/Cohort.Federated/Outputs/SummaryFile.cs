using System.Text.Json;

namespace Cohort.Federated.Outputs;

/// <summary>summary.json read back: its figures in file order, null where the file has null; its text statements (a private run's guarantee) are not figures and are left out.</summary>
internal static class SummaryFile
{
    public static IReadOnlyList<(string Name, double? Value)> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new RunFileException($"{path} does not exist.");
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new RunFileException($"{path}: expected a JSON object, found {doc.RootElement.ValueKind}.");
            }
            return doc.RootElement.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.String).Select(p => (p.Name, p.Value.ValueKind switch
            {
                JsonValueKind.Number => p.Value.GetDouble(),
                JsonValueKind.Null => (double?)null,
                _ => throw new RunFileException($"{path}: \"{p.Name}\" is {p.Value.ValueKind}, expected a number or null."),
            })).ToList();
        }
        catch (JsonException e)
        {
            throw new RunFileException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }
}
