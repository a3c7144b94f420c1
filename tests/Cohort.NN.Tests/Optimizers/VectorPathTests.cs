namespace Cohort.NN.Tests.Optimizers;

/// <summary>
/// The Vector256 loop and the scalar tail compute the same arithmetic: a vector of every length
/// 0–70 steps bit-identically to one optimizer per element, which runs only the scalar path.
/// </summary>
public class VectorPathTests
{
    [Theory]
    [MemberData(nameof(OptimizerCases.Names), MemberType = typeof(OptimizerCases))]
    public void VectorLoopAgreesWithScalarTailAtEveryLength(string name)
    {
        for (int n = 0; n <= 70; n++)
        {
            var whole = OptimizerCases.Create(name);
            var elements = Enumerable.Range(0, n).Select(_ => OptimizerCases.Create(name)).ToArray();
            var parameters = Enumerable.Range(0, n).Select(i => MathF.Cos(0.7f * i)).ToArray();
            var single = (float[])parameters.Clone();
            for (int step = 0; step < 5; step++)
            {
                var gradients = Enumerable.Range(0, n).Select(i => MathF.Sin(0.3f * i + step) * (i % 7 == 0 ? 0 : 1)).ToArray();
                whole.Step(parameters, gradients);
                for (int i = 0; i < n; i++)
                {
                    elements[i].Step(single.AsSpan(i, 1), gradients.AsSpan(i, 1));
                }
            }
            Assert.Equal(single, parameters);
        }
    }
}
