using Cohort.NN.Optimizers.Schedules;

namespace Cohort.NN.Tests.Optimizers;

/// <summary>Rates against torch.optim.lr_scheduler (StepLR, CosineAnnealingLR, LinearLR, LambdaLR).</summary>
public class ScheduleGoldenTests
{
    [Theory]
    [InlineData("step", "step")]
    [InlineData("cosine", "cosine")]
    [InlineData("cosine_zero_min", "cosine")]
    [InlineData("inverse_sqrt", "inverse_sqrt")]
    public void MatchesPyTorch(string golden, string schedule)
    {
        var g = GoldenData.Schedule(golden);
        var s = ScheduleFactory.Create(schedule, (float)g.GetProperty("base_lr").GetDouble(), GoldenData.Parameters(g.GetProperty("parameters")));
        AssertRates(g, s);
    }

    [Fact]
    public void LinearWarmupMatchesLinearLR()
    {
        var g = GoldenData.Schedule("linear_warmup");
        int warmup = g.GetProperty("parameters").GetProperty("warmup_steps").GetInt32();
        var s = ScheduleFactory.Create("constant", (float)g.GetProperty("base_lr").GetDouble(),
            new Dictionary<string, string> { ["linear_warmup"] = warmup.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.IsType<LinearWarmupSchedule>(s);
        AssertRates(g, s);
    }

    private static void AssertRates(System.Text.Json.JsonElement golden, ILearningRateSchedule schedule)
    {
        var rates = golden.GetProperty("rates").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int step = 0; step < rates.Length; step++)
        {
            double rate = schedule.LearningRate(step);
            Assert.True(Math.Abs(rate - rates[step]) <= 1e-6 * Math.Abs(rates[step]) + 1e-9,
                $"{golden.GetProperty("name").GetString()}, step {step}: {rate} vs torch {rates[step]}.");
        }
    }
}
