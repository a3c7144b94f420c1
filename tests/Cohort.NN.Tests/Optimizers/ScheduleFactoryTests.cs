using Cohort.NN.Optimizers.Schedules;

namespace Cohort.NN.Tests.Optimizers;

public class ScheduleFactoryTests
{
    private static Dictionary<string, string> P(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void CreatesEveryNamedSchedule()
    {
        Assert.IsType<ConstantSchedule>(ScheduleFactory.Create("constant", 0.1f));
        var step = Assert.IsType<StepSchedule>(ScheduleFactory.Create("step", 0.1f, P(("step_size", "30"))));
        Assert.Equal((30, 0.1), (step.StepSize, step.Gamma));
        var cosine = Assert.IsType<CosineAnnealingSchedule>(ScheduleFactory.Create("cosine", 0.1f, P(("t_max", "100"), ("eta_min", "0.001"))));
        Assert.Equal((100, 0.001), (cosine.TMax, cosine.EtaMin));
        Assert.IsType<InverseSqrtSchedule>(ScheduleFactory.Create("inverse_sqrt", 0.1f, P(("warmup_steps", "10"))));
        var warm = Assert.IsType<LinearWarmupSchedule>(ScheduleFactory.Create("cosine", 0.1f, P(("t_max", "100"), ("linear_warmup", "5"))));
        Assert.IsType<CosineAnnealingSchedule>(warm.Inner);
    }

    [Theory]
    [InlineData("exponential", null, null, "Unknown schedule 'exponential'; known schedules: constant, step, cosine, inverse_sqrt")]
    [InlineData("step", null, null, "schedule 'step': parameter 'step_size' is required")]
    [InlineData("step", "step_size", "0", "StepSchedule: step_size must be >= 1, got 0")]
    [InlineData("step", "step_size", "2.5", "schedule 'step': 'step_size' must be an integer, got '2.5'")]
    [InlineData("constant", "gamma", "0.5", "schedule 'constant': unknown parameter 'gamma'; known parameters: linear_warmup")]
    [InlineData("cosine", "t_max", "-3", "CosineAnnealingSchedule: t_max must be >= 1, got -3")]
    [InlineData("inverse_sqrt", "warmup_steps", "zero", "'warmup_steps' must be an integer, got 'zero'")]
    public void BadNamesAndValuesAreErrorsNamingThem(string name, string? key, string? value, string message)
    {
        var parameters = key is null ? null : P((key, value!));
        var e = Assert.ThrowsAny<ArgumentException>(() => ScheduleFactory.Create(name, 0.1f, parameters));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void BadValuesAlongsideRequiredOnesAreNamed()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ScheduleFactory.Create("step", 0.1f, P(("step_size", "3"), ("gamma", "-1"))));
        Assert.Contains("gamma must be a finite number >= 0, got -1", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => ScheduleFactory.Create("step", 0.1f, P(("step_size", "3"), ("linear_warmup", "-2"))));
        Assert.Contains("linear_warmup must be >= 0, got -2", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => ScheduleFactory.Create("constant", -0.1f));
        Assert.Contains("lr must be a finite number >= 0", e.Message);
    }
}
