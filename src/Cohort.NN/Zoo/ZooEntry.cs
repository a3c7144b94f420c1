using Cohort.NN.Modules;
using Cohort.Tensors;

namespace Cohort.NN.Zoo;

/// <summary>
/// A zoo model's description of itself: its name (the experiment file's model key), a one-line doc,
/// how it is built and the shape of one sample it takes. A public static property of this type on a
/// Cohort.NN type registers it (<see cref="ModelZoo"/>).
/// </summary>
public sealed record ZooEntry(string Name, string Doc, Func<ParameterBuilder, ModelOptions, Module> Build)
{
    /// <summary>One sample's shape; default: an image of the options' channels, height and width.</summary>
    public Func<ModelOptions, Shape> SampleShape { get; init; } = o => new Shape(o.Channels, o.Height, o.Width);
}
