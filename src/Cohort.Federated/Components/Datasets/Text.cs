using Cohort.Data.Formats;
using Cohort.Federated.Config;

namespace Cohort.Federated.Components.Datasets;

/// <summary>dataset.name text: a folder of text files, one client each, read as next-character prediction.</summary>
internal static class Text
{
    public static DatasetDeclaration Declaration { get; } = new("text", "a folder of text files, one natural client each: next-character prediction",
        a => TextData.Load(a.RequiredRoot, a.Config.GetDouble("dataset.test_fraction"), a.Config.GetInt("dataset.stride")))
    {
        Keys = [Key.Integer("stride", "1", "characters between consecutive training windows", 1)],
    };
}
