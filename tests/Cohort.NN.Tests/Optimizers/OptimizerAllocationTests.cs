namespace Cohort.NN.Tests.Optimizers;

public class OptimizerAllocationTests
{
    [Theory]
    [MemberData(nameof(OptimizerCases.Names), MemberType = typeof(OptimizerCases))]
    public void StepsAllocateNothingAfterTheFirst(string name)
    {
        var optimizer = OptimizerCases.Create(name);
        var parameters = new float[1003];
        var gradients = new float[1003];
        for (int i = 0; i < gradients.Length; i++)
        {
            gradients[i] = MathF.Sin(i) * 1e-3f;
        }
        // Enough steps for the JIT's tiers to settle; only the steps after count.
        for (int i = 0; i < 60; i++)
        {
            optimizer.Step(parameters, gradients);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            optimizer.LearningRate = 0.01f;
            optimizer.Step(parameters, gradients);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
