using Cohort.Federated.Robustness;

namespace Cohort.Reporting.Tests;

public class RobustnessTablesTests
{
    [Fact]
    public void TheGridsTablesHaveAClippedFractionColumn()
    {
        RobustnessCell[] cells =
        [
            new("centered-clipping", "alie", 2, 0.9, 0.85, 3, null) { ClippedFraction = 0.25 },
            new("median", "alie", 2, 0.8, 0.75, 3, null),
        ];
        var rows = RobustnessTables.Csv(cells).Split('\n');
        Assert.StartsWith("aggregator,attack,byzantine,test_accuracy,honest_client_accuracy,clipped_fraction,", rows[0]);
        Assert.StartsWith("centered-clipping,alie,2,0.9,0.85,0.25,", rows[1]);
        Assert.StartsWith("median,alie,2,0.8,0.75,,", rows[2]);
        Assert.Contains("| 25.0 % |", RobustnessTables.Markdown(cells));
    }
}
