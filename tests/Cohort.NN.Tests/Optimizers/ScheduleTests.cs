using Cohort.NN.Optimizers.Schedules;

namespace Cohort.NN.Tests.Optimizers;

/// <summary>Closed forms of the schedules torch has no class for, and edge cases of the others.</summary>
public class ScheduleTests
{
    [Fact]
    public void ConstantIsConstant()
    {
        var s = new ConstantSchedule(0.3f);
        Assert.All(Enumerable.Range(0, 50), t => Assert.Equal(0.3f, s.LearningRate(t)));
    }

    [Fact]
    public void InverseSqrtFollowsItsFormula()
    {
        const int warmup = 9;
        var s = new InverseSqrtSchedule(0.5f, warmup);
        for (int t = 0; t < 200; t++)
        {
            double expected = 0.5f * (t == 0 ? 1 : Math.Min(1, Math.Sqrt((double)warmup / t)));
            Assert.Equal(expected, s.LearningRate(t), 1e-7);
        }
        Assert.Equal(0.5f, s.LearningRate(warmup));
        Assert.Equal(0.5 * Math.Sqrt(9.0 / 36), s.LearningRate(36), 1e-7);
    }

    [Fact]
    public void CosineReachesTheMinimumAtTMax()
    {
        var s = new CosineAnnealingSchedule(0.2f, 40, 0.01);
        Assert.Equal(0.2f, s.LearningRate(0));
        Assert.Equal(0.01, s.LearningRate(40), 1e-7);
        Assert.Equal((0.2f + 0.01) / 2, s.LearningRate(20), 1e-7);
    }

    [Fact]
    public void StepDecaysEveryStepSize()
    {
        var s = new StepSchedule(1f, 4, 0.5);
        Assert.Equal([1f, 1f, 1f, 1f, 0.5f, 0.5f, 0.5f, 0.5f, 0.25f], Enumerable.Range(0, 9).Select(s.LearningRate));
    }

    [Fact]
    public void LinearWarmupScalesTheInnerScheduleThenFollowsIt()
    {
        var inner = new CosineAnnealingSchedule(0.1f, 30);
        var s = new LinearWarmupSchedule(inner, 6);
        for (int t = 0; t < 40; t++)
        {
            double expected = t < 6 ? inner.LearningRate(t) * (t + 1) / 6.0 : inner.LearningRate(t);
            Assert.Equal(expected, s.LearningRate(t), 1e-7);
        }
    }

    [Fact]
    public void NegativeStepsAreRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(0.1f, 2).LearningRate(-1));
        Assert.Contains("step must be >= 0", e.Message);
    }
}
