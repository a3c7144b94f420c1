namespace Cohort.NN.Zoo;

/// <summary>What a zoo model is built for: image geometry and classes, or a vocabulary for text.</summary>
public sealed record ModelOptions
{
    public int Channels { get; init; } = 1;

    public int Height { get; init; } = 28;

    public int Width { get; init; } = 28;

    public int Classes { get; init; } = 10;

    /// <summary>Symbols of a text model's vocabulary.</summary>
    public int Vocabulary { get; init; } = 80;

    /// <summary>Characters a text model reads to predict the next one.</summary>
    public int SequenceLength { get; init; } = 80;

    public static ModelOptions Mnist { get; } = new();

    public static ModelOptions Cifar { get; } = new() { Channels = 3, Height = 32, Width = 32 };
}
