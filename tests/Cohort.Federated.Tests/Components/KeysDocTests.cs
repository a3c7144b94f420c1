using Cohort.Federated.Components;

namespace Cohort.Federated.Tests.Components;

/// <summary>docs/keys.md is what the declarations generate; COHORT_WRITE_KEYS=1 rewrites it.</summary>
public class KeysDocTests
{
    [Fact]
    public void KeysPageMatchesTheDeclarations()
    {
        string path = Path.Combine(TestExperiments.RepositoryRoot(), "docs", "keys.md");
        string generated = KeyReference.Markdown();
        if (Environment.GetEnvironmentVariable("COHORT_WRITE_KEYS") == "1")
        {
            File.WriteAllText(path, generated);
        }
        string onDisk = File.Exists(path) ? File.ReadAllText(path) : "";
        Assert.True(onDisk == generated,
            "docs/keys.md is stale; regenerate it with COHORT_WRITE_KEYS=1 dotnet test tests/Cohort.Federated.Tests --filter KeysDocTests");
    }
}
