using Cohort.NN.Optimizers;
using Cohort.NN.Optimizers.Schedules;

namespace Cohort.NN.Tests.Optimizers;

/// <summary>Trajectories against torch.optim (PyTorch 1.13) on a 37-value vector: vector loop and tail.</summary>
public class OptimizerGoldenTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Cases => [.. GoldenData.Names("optimizers")];

    [Theory]
    [MemberData(nameof(Cases))]
    public void FollowsPyTorchTrajectory(string name)
    {
        var golden = GoldenData.Optimizer(name);
        var optimizer = OptimizerFactory.Create(golden.GetProperty("optimizer").GetString()!, GoldenData.Parameters(golden.GetProperty("parameters")));
        var expected = golden.GetProperty("trajectory").EnumerateArray().Select(GoldenData.Floats).ToArray();
        var parameters = GoldenData.Initial;
        var gradients = GoldenData.Gradients;
        for (int step = 0; step < expected.Length; step++)
        {
            optimizer.Step(parameters, gradients[step]);
            double error = GoldenData.MaxError(parameters, expected[step]);
            Assert.True(error <= Tolerance, $"{name}, step {step + 1}: error {error:E2} > {Tolerance:E0}.");
        }
        Assert.Equal(expected.Length, optimizer.StepCount);
    }

    [Fact]
    public void ReadsTheLearningRateAtEveryStep()
    {
        var golden = GoldenData.Root.GetProperty("scheduled");
        var optimizer = OptimizerFactory.Create(golden.GetProperty("optimizer").GetString()!, GoldenData.Parameters(golden.GetProperty("parameters")));
        var schedule = ScheduleFactory.Create(golden.GetProperty("schedule").GetString()!, optimizer.LearningRate,
            GoldenData.Parameters(golden.GetProperty("schedule_parameters")));
        var expected = golden.GetProperty("trajectory").EnumerateArray().Select(GoldenData.Floats).ToArray();
        var parameters = GoldenData.Initial;
        var gradients = GoldenData.Gradients;
        for (int step = 0; step < expected.Length; step++)
        {
            optimizer.LearningRate = schedule.LearningRate(step);
            optimizer.Step(parameters, gradients[step]);
            double error = GoldenData.MaxError(parameters, expected[step]);
            Assert.True(error <= Tolerance, $"step {step + 1}: error {error:E2} > {Tolerance:E0}.");
        }
    }
}
