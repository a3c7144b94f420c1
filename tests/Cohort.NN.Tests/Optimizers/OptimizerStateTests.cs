using Cohort.NN.Optimizers;

namespace Cohort.NN.Tests.Optimizers;

public class OptimizerStateTests
{
    [Theory]
    [MemberData(nameof(OptimizerCases.Names), MemberType = typeof(OptimizerCases))]
    public void ResetRestoresFreshBehaviour(string name)
    {
        var fresh = OptimizerCases.Trajectory(OptimizerCases.Create(name), GoldenData.Initial, 0, 8);
        var reused = OptimizerCases.Create(name);
        OptimizerCases.Trajectory(reused, GoldenData.Initial, 0, 5);
        reused.Reset();
        Assert.Equal(0, reused.StepCount);
        Assert.Equal(fresh, OptimizerCases.Trajectory(reused, GoldenData.Initial, 0, 8));
    }

    [Theory]
    [MemberData(nameof(OptimizerCases.Names), MemberType = typeof(OptimizerCases))]
    public void SavedStateResumesExactly(string name)
    {
        var original = OptimizerCases.Create(name);
        var parameters = GoldenData.Initial;
        OptimizerCases.Trajectory(original, parameters, 0, 6);
        var saved = original.State.Select(s => (float[])s.Clone()).ToArray();

        var restored = OptimizerCases.Create(name);
        restored.Initialize(parameters.Length);
        Assert.Equal(saved.Length, restored.State.Count);
        for (int i = 0; i < saved.Length; i++)
        {
            saved[i].CopyTo(restored.State[i], 0);
        }
        restored.StepCount = original.StepCount;

        var expected = OptimizerCases.Trajectory(original, (float[])parameters.Clone(), 6, 6);
        Assert.Equal(expected, OptimizerCases.Trajectory(restored, (float[])parameters.Clone(), 6, 6));
    }

    [Fact]
    public void StateIsEmptyUntilTheFirstStepAndSizedToTheVector()
    {
        var adam = new Adam();
        Assert.Empty(adam.State);
        adam.Step(new float[7], new float[7]);
        Assert.Equal(2, adam.State.Count);
        Assert.All(adam.State, s => Assert.Equal(7, s.Length));
        Assert.Empty(new Sgd(0.1f).State);
        var momentum = new Sgd(0.1f, momentum: 0.5);
        momentum.Step(new float[3], new float[3]);
        Assert.Single(momentum.State);
    }

    [Fact]
    public void AdagradAndYogiStartFromTheirInitialAccumulators()
    {
        var adagrad = new Adagrad(initialAccumulatorValue: 0.25);
        adagrad.Initialize(3);
        Assert.Equal([0.25f, 0.25f, 0.25f], adagrad.State[0]);
        var yogi = new Yogi(initialAccumulatorValue: 0.5);
        yogi.Initialize(2);
        Assert.Equal([0f, 0f], yogi.State[0]);
        Assert.Equal([0.5f, 0.5f], yogi.State[1]);
    }

    [Fact]
    public void ALengthChangeMidRunIsAnErrorButAllowedAfterReset()
    {
        var adam = new Adam();
        adam.Step(new float[8], new float[8]);
        var e = Assert.Throws<ArgumentException>(() => adam.Step(new float[9], new float[9]));
        Assert.Contains("Reset()", e.Message);
        adam.Reset();
        adam.Step(new float[9], new float[9]);
        Assert.Equal(9, adam.State[0].Length);
    }

    [Fact]
    public void MismatchedGradientLengthIsAnError()
    {
        var e = Assert.Throws<ArgumentException>(() => new Yogi().Step(new float[4], new float[5]));
        Assert.Contains("Yogi: 4 parameters but 5 gradients", e.Message);
    }
}
