using Cohort.NN.Modules;
using Cohort.Tensors;

namespace Cohort.NN.Zoo;

/// <summary>Builds the named architectures of the experiment file's <c>model</c> key.</summary>
public static class ModelZoo
{
    private static readonly Dictionary<string, Func<ParameterBuilder, ModelOptions, Module>> Factories = new(StringComparer.Ordinal)
    {
        ["logreg"] = (b, o) => new LogisticRegression(b, o),
        ["mlp"] = (b, o) => new Mlp(b, o),
        ["cnn"] = (b, o) => new Cnn(b, o),
        ["lenet5"] = (b, o) => new LeNet5(b, o),
        ["resnet20"] = (b, o) => new ResNet20(b, o),
        ["charlstm"] = (b, o) => new CharLstm(b, o),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static Model Create(string name, ulong seed, ModelOptions? options = null)
    {
        if (!Factories.TryGetValue(name, out var factory))
        {
            throw new ArgumentException($"Unknown model '{name}'; the zoo has: {string.Join(", ", Factories.Keys.Order(StringComparer.Ordinal))}.");
        }
        options ??= ModelOptions.Mnist;
        var builder = new ParameterBuilder();
        var root = factory(builder, options);
        return new Model(name, root, builder, SampleShape(name, options), seed);
    }

    private static Shape SampleShape(string name, ModelOptions o) =>
        name == "charlstm" ? new Shape(o.SequenceLength) : new Shape(o.Channels, o.Height, o.Width);
}
