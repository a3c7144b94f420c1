using Cohort.NN.Modules;
using Cohort.Tensors;

namespace Cohort.Federated.Leakage;

/// <summary>Where a fully connected layer's weight [out, in] and bias [out] lie in a model's flat gradient.</summary>
internal readonly record struct LayerGradients(int WeightOffset, int BiasOffset, int Outputs, int Inputs)
{
    /// <summary>The first parameter pair, if it is a fully connected layer reading the flattened input.</summary>
    public static LayerGradients First(Model model)
    {
        var p = model.NamedParameters;
        int inputs = model.SampleShape.Size;
        if (p.Count < 2 || p[0].Shape.Rank != 2 || p[0].Shape[1] != inputs || p[1].Shape != new Shape(p[0].Shape[0]))
        {
            throw new ArgumentException($"Model '{model.Name}' does not start with a fully connected layer with a bias on its {inputs} input values (its first parameter is '{p[0].Describe()}'); the analytic attack needs one.");
        }
        return new LayerGradients(p[0].Offset, p[1].Offset, p[0].Shape[0], inputs);
    }

    /// <summary>The last weight matrix [classes, features] (the output layer) and the bias after it.</summary>
    public static LayerGradients Last(Model model)
    {
        var p = model.NamedParameters;
        int w = p.Count - 1;
        while (w >= 0 && p[w].Shape.Rank != 2)
        {
            w--;
        }
        if (w < 0)
        {
            throw new ArgumentException($"Model '{model.Name}' has no weight matrix; label inference reads the output layer's.");
        }
        return new LayerGradients(p[w].Offset, w + 1 < p.Count ? p[w + 1].Offset : -1, p[w].Shape[0], p[w].Shape[1]);
    }

    public ReadOnlySpan<float> WeightRow(ReadOnlySpan<float> gradient, int row) => gradient.Slice(WeightOffset + row * Inputs, Inputs);
}
