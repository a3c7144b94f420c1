using Cohort.NN.Zoo;

namespace Cohort.NN.Tests;

public class ModelZooTests
{
    [Theory]
    [InlineData("logreg", 7_850)]
    [InlineData("mlp", 199_210)]
    [InlineData("cnn", 1_663_370)]
    [InlineData("cnn-bn", 1_663_562)]
    [InlineData("lenet5", 61_706)]
    public void ParameterCountsMatchThePapers(string name, int expected)
    {
        var model = ModelZoo.Create(name, 1);
        Assert.Equal(expected, model.ParameterCount);
        Assert.Equal(expected, model.NamedParameters.Sum(p => p.Size));
    }

    [Fact]
    public void ParametersAreViewsIntoTheFlatVector()
    {
        var model = ModelZoo.Create("mlp", 1);
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"], model.NamedParameters.Select(p => p.Name));
        var fc2 = model.NamedParameters[2];
        Assert.Same(model.Parameters, fc2.Buffer);
        Assert.Equal(784 * 200 + 200, fc2.Offset);
        Assert.Same(model.Gradients, fc2.GradBuffer);
        // PyTorch's default bound 1/sqrt(fan_in).
        Assert.All(model.NamedParameters[0].ToArray(), v => Assert.InRange(v, -1f / 28f, 1f / 28f));
    }

    [Fact]
    public void UnknownModelListsTheZoo()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Create("vgg", 1));
        Assert.Contains("'vgg'", e.Message);
        Assert.Contains("mlp", e.Message);
    }

    [Fact]
    public void SameSeedSameWeights()
    {
        Assert.Equal(ModelZoo.Create("cnn", 5).Parameters, ModelZoo.Create("cnn", 5).Parameters);
        Assert.NotEqual(ModelZoo.Create("cnn", 5).Parameters, ModelZoo.Create("cnn", 6).Parameters);
    }
}
