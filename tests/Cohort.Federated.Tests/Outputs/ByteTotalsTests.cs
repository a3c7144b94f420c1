using Cohort.Federated.Outputs;

namespace Cohort.Federated.Tests.Outputs;

public class ByteTotalsTests
{
    [Fact]
    public void UplinkTotalsPreferTheRunsOwnTotals()
    {
        var metrics = MetricsLog.Parse(
        [
            """{"round":2,"test_accuracy":0.5,"bytes_up":10,"bytes_up_total":20}""",
            """{"round":4,"test_accuracy":0.7,"bytes_up":10,"bytes_up_total":40}""",
        ], "m");
        Assert.Equal([(20.0, 0.5), (40.0, 0.7)], ByteTotals.AccuracyByUplink(metrics));
        var withoutTotals = MetricsLog.Parse(["""{"round":1,"bytes_up":10}""", """{"round":2,"bytes_up":null}""", """{"round":3,"bytes_up":5}"""], "m");
        Assert.Equal([(1.0, 10.0), (2.0, 10.0), (3.0, 15.0)], ByteTotals.Uplink(withoutTotals));
    }
}
