using System.Text.Json;

namespace Cohort.NN.Tests.Optimizers;

/// <summary>optimizer_golden.json, written by Golden/make_optimizer_golden.py from PyTorch 1.13.</summary>
internal static class GoldenData
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Optimizers", "Golden", "optimizer_golden.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static float[] Initial => Floats(Root.GetProperty("initial"));

    public static float[][] Gradients => [.. Root.GetProperty("gradients").EnumerateArray().Select(Floats)];

    public static JsonElement Optimizer(string name) =>
        Root.GetProperty("optimizers").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);

    public static JsonElement Schedule(string name) =>
        Root.GetProperty("schedules").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);

    public static IEnumerable<string> Names(string section) =>
        Root.GetProperty(section).EnumerateArray().Select(e => e.GetProperty("name").GetString()!);

    public static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(e => (float)e.GetDouble())];

    /// <summary>A JSON object of numbers and booleans as the text parameters the factories read.</summary>
    public static Dictionary<string, string> Parameters(JsonElement obj) =>
        obj.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => p.Value.GetRawText(),
            });

    /// <summary>Largest |actual − expected| / max(1, |expected|): absolute below 1, relative above.</summary>
    public static double MaxError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]) / Math.Max(1, Math.Abs((double)expected[i])));
        }
        return worst;
    }
}
