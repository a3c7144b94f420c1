using Cohort.Federated.Attacks;

namespace Cohort.Federated.Tests.Robustness;

public class AttackTests
{
    private static readonly float[][] Honest = [[1, 2], [3, 6]];
    private static readonly AttackContext Context = new(1, 0, 3, 1, 3);

    private static float[] Craft(IAttack attack)
    {
        var own = new float[] { 5, -7 };
        attack.Craft(Context, Honest, own);
        return own;
    }

    [Fact]
    public void AttacksSendWhatTheirDefinitionsSay()
    {
        Assert.Equal([-5f, 7f], Craft(new BitFlip()));
        Assert.Equal([-2f, -4f], Craft(new SignFlip()));
        Assert.Equal([-0.2f, -0.4f], Craft(new InnerProductManipulation(0.1)));
        Assert.Equal([1f, 2f], Craft(new Mimic()));
        Assert.Equal([5f, -7f], Craft(new LabelFlip()));
        Assert.True(Craft(new NonFinite(float.NaN)).All(float.IsNaN));
        Assert.True(Craft(new NonFinite(float.PositiveInfinity)).All(float.IsPositiveInfinity));
        // mean − z·std with the population std (1, 2) and z = 1.5.
        Assert.Equal([0.5f, 1f], Craft(new LittleIsEnough(1.5)));
        var noise = Craft(new GaussianNoise(1));
        Assert.Equal(noise, Craft(new GaussianNoise(1)));
        Assert.NotEqual([5f, -7f], noise);
    }

    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(0.975, 1.959963985)]
    [InlineData(0.72, 0.582841507)]
    [InlineData(0.01, -2.326347874)]
    public void NormalQuantileMatchesTables(double p, double z)
    {
        Assert.Equal(z, LittleIsEnough.NormalQuantile(p), 1e-6);
    }

    [Fact]
    public void AlieZFollowsThePaper()
    {
        // n = 50, b = 12: s = 26 − 12 = 14, z = Φ⁻¹(36 / 50).
        Assert.Equal(LittleIsEnough.NormalQuantile(0.72), LittleIsEnough.DefaultZ(50, 12), 1e-12);
    }

    private static double Damage(Func<Cohort.Federated.Aggregation.IAggregator> rule, float[][] honest, float[] byzantine, int count)
    {
        var aggregator = rule();
        aggregator.Begin(byzantine.Length);
        foreach (var h in honest)
        {
            aggregator.Add(h, 1);
        }
        for (int b = 0; b < count; b++)
        {
            aggregator.Add(byzantine, 1);
        }
        var result = new float[byzantine.Length];
        aggregator.Complete(result);
        var mean = new float[byzantine.Length];
        for (int j = 0; j < mean.Length; j++)
        {
            mean[j] = honest.Average(h => h[j]);
        }
        return Cohort.Federated.Aggregation.Robust.VectorDistance.Squared(result, mean);
    }

    [Fact]
    public void ScaleSearchDoesAtLeastAsMuchDamageAsAFixedScale()
    {
        var random = new System.Random(9);
        var honest = Enumerable.Range(0, 7).Select(_ => Enumerable.Range(0, 20).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        Func<Cohort.Federated.Aggregation.IAggregator> median = () => new Cohort.Federated.Aggregation.Robust.CoordinateMedian();
        var search = new ScaleSearchAttack(alie: true, new Cohort.Federated.Aggregation.Robust.CoordinateMedian());
        var context = new AttackContext(1, 0, 0, 3, 10);
        var chosen = new float[20];
        search.Craft(context, honest, chosen);
        // Every scale on the search's grid does at most the damage of the one chosen.
        foreach (double z in new[] { 0.1, 1.0, 5.0 })
        {
            var fixedScale = new float[20];
            new LittleIsEnough(z).Craft(context, honest, fixedScale);
            Assert.True(Damage(median, honest, chosen, 3) >= Damage(median, honest, fixedScale, 3),
                $"search (z = {search.ChosenScale}) against z = {z}");
        }
        // Against the plain mean, IPM's damage grows with ε: the search takes the largest scale.
        var ipm = new ScaleSearchAttack(alie: false, new Cohort.Federated.Aggregation.Robust.UniformMean());
        ipm.Craft(context, honest, chosen);
        Assert.Equal(100, ipm.ChosenScale);
    }
}
