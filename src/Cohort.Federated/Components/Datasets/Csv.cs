using Cohort.Data;
using Cohort.Data.Formats;
using Cohort.Federated.Config;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Components.Datasets;

/// <summary>dataset.name csv: a table of numeric features with a label column (and optionally a client column).</summary>
internal static class Csv
{
    public static DatasetDeclaration Declaration { get; } = new("csv", "a CSV table of numeric features with a label column, and optionally a client-id column", Load)
    {
        Keys =
        [
            Key.Text("test", null, "a separate test file (default: a held-out fraction)") with { Optional = true },
            Key.Text("label", "label", "the label column (name or 0-based index)"),
            Key.Text("client", null, "the client-id column, for a natural partition") with { Optional = true },
        ],
    };

    private static TrainTest Load(DatasetArgs a)
    {
        var c = a.Config;
        string label = c.Get("dataset.label");
        string? client = c.GetOptional("dataset.client");
        var train = CsvData.Load(a.RequiredRoot, label, client);
        if (c.GetOptional("dataset.test") is { } testPath)
        {
            var test = CsvData.Load(testPath, label, client, train.Classes);
            return new TrainTest(train, test);
        }
        // Hold out a random fraction (per natural client when there is one).
        var random = RandomStream.Create(a.Seed, RandomStream.Purpose("csv-split"));
        var order = Enumerable.Range(0, train.Count).ToArray();
        random.Shuffle(order.AsSpan());
        int testCount = (int)Math.Round(train.Count * c.GetDouble("dataset.test_fraction"));
        var testIdx = order[..testCount].Order().ToArray();
        var trainIdx = order[testCount..].Order().ToArray();
        return new TrainTest(train.Subset(trainIdx), train.Subset(testIdx));
    }
}
