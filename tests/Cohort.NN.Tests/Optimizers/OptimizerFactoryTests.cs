using Cohort.NN.Optimizers;

namespace Cohort.NN.Tests.Optimizers;

public class OptimizerFactoryTests
{
    private static Dictionary<string, string> P(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void CreatesEveryNamedOptimizer()
    {
        Assert.IsType<Sgd>(OptimizerFactory.Create("sgd", 0.1f));
        Assert.IsType<Adam>(OptimizerFactory.Create("adam"));
        Assert.IsType<AdamW>(OptimizerFactory.Create("AdamW"));
        Assert.IsType<Adagrad>(OptimizerFactory.Create("adagrad"));
        Assert.IsType<Yogi>(OptimizerFactory.Create("yogi"));
        Assert.Equal(OptimizerFactory.Names.Count, OptimizerFactory.Names.Select(n => OptimizerFactory.Create(n, 0.1f).GetType()).Distinct().Count());
    }

    [Fact]
    public void DefaultsAreTorchs()
    {
        var adam = Assert.IsType<Adam>(OptimizerFactory.Create("adam"));
        var constructed = new Adam();
        Assert.Equal((constructed.LearningRate, constructed.Beta1, constructed.Beta2, constructed.Eps, constructed.WeightDecay, constructed.AmsGrad),
            (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Eps, adam.WeightDecay, adam.AmsGrad));
        Assert.Equal((1e-3f, 0.9, 0.999, 1e-8, 0.0, false), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Eps, adam.WeightDecay, adam.AmsGrad));
        var adamW = Assert.IsType<AdamW>(OptimizerFactory.Create("adamw"));
        Assert.Equal(0.01, adamW.WeightDecay);
        Assert.Equal(new AdamW().WeightDecay, adamW.WeightDecay);
        var adagrad = Assert.IsType<Adagrad>(OptimizerFactory.Create("adagrad"));
        Assert.Equal((1e-2f, 0.0, 0.0, 0.0, 1e-10), (adagrad.LearningRate, adagrad.LrDecay, adagrad.WeightDecay, adagrad.InitialAccumulatorValue, adagrad.Eps));
        var yogi = Assert.IsType<Yogi>(OptimizerFactory.Create("yogi"));
        var yogiConstructed = new Yogi();
        Assert.Equal((yogiConstructed.LearningRate, yogiConstructed.Beta1, yogiConstructed.Beta2, yogiConstructed.Eps, yogiConstructed.InitialAccumulatorValue),
            (yogi.LearningRate, yogi.Beta1, yogi.Beta2, yogi.Eps, yogi.InitialAccumulatorValue));
    }

    [Fact]
    public void ReadsParameters()
    {
        var sgd = Assert.IsType<Sgd>(OptimizerFactory.Create("sgd", P(("lr", "0.05"), ("momentum", "0.9"), ("nesterov", "true"), ("weight_decay", "1e-4"))));
        Assert.Equal((0.05f, 0.9, 0.0, true, 1e-4), (sgd.LearningRate, sgd.Momentum, sgd.Dampening, sgd.Nesterov, sgd.WeightDecay));
    }

    [Theory]
    [InlineData("rmsprop", null, null, "Unknown optimizer 'rmsprop'")]
    [InlineData("sgd", null, null, "optimizer 'sgd': parameter 'lr' is required")]
    [InlineData("adam", "momentum", "0.9", "optimizer 'adam': unknown parameter 'momentum'; known parameters: lr, beta1, beta2, eps, weight_decay, amsgrad")]
    [InlineData("adam", "lr", "fast", "optimizer 'adam': 'lr' must be a finite number, got 'fast'")]
    [InlineData("adam", "lr", "NaN", "'lr' must be a finite number")]
    [InlineData("adam", "amsgrad", "yes", "optimizer 'adam': 'amsgrad' must be true or false, got 'yes'")]
    [InlineData("adam", "lr", "-0.1", "Adam: lr must be a finite number >= 0, got -0.1")]
    [InlineData("adam", "beta1", "1", "Adam: beta1 must be in [0, 1), got 1")]
    [InlineData("adamw", "beta2", "-0.5", "AdamW: beta2 must be in [0, 1), got -0.5")]
    [InlineData("adagrad", "eps", "-1", "Adagrad: eps must be a finite number >= 0, got -1")]
    [InlineData("yogi", "initial_accumulator_value", "-1", "Yogi: initial_accumulator_value must be a finite number >= 0")]
    [InlineData("adagrad", "weight_decay", "-0.01", "Adagrad: weight_decay must be a finite number >= 0")]
    public void BadNamesAndValuesAreErrorsNamingThem(string name, string? key, string? value, string message)
    {
        var parameters = key is null ? null : P((key, value!));
        var e = Assert.ThrowsAny<ArgumentException>(() => OptimizerFactory.Create(name, parameters));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void NesterovNeedsMomentumWithoutDampening()
    {
        var e = Assert.Throws<ArgumentException>(() => OptimizerFactory.Create("sgd", P(("lr", "0.1"), ("nesterov", "true"))));
        Assert.Contains("nesterov needs momentum > 0 and dampening = 0", e.Message);
        Assert.Throws<ArgumentException>(() => new Sgd(0.1f, momentum: 0.9, dampening: 0.1, nesterov: true));
    }

    [Fact]
    public void NegativeLearningRateFromAScheduleIsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam().LearningRate = -1);
        Assert.Contains("lr must be", e.Message);
    }
}
