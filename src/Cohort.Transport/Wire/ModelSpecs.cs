using Cohort.NN.Zoo;

namespace Cohort.Transport.Wire;

/// <summary>The zoo's <see cref="ModelOptions"/> and their wire form, <see cref="ModelSpec"/>.</summary>
internal static class ModelSpecs
{
    public static ModelSpec From(string name, ModelOptions options, int parameters, int buffers) => new()
    {
        Name = name,
        Channels = options.Channels,
        Height = options.Height,
        Width = options.Width,
        Classes = options.Classes,
        Vocabulary = options.Vocabulary,
        SequenceLength = options.SequenceLength,
        Parameters = parameters,
        Buffers = buffers,
    };

    public static ModelOptions Options(ModelSpec spec) => new()
    {
        Channels = spec.Channels,
        Height = spec.Height,
        Width = spec.Width,
        Classes = spec.Classes,
        Vocabulary = spec.Vocabulary,
        SequenceLength = spec.SequenceLength,
    };
}
