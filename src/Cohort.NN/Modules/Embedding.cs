using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Modules;

/// <summary>A lookup table; parameter "{name}.weight" [count, dim], initialised N(0, 1) as PyTorch.</summary>
public sealed class Embedding : Module
{
    public Embedding(ParameterBuilder builder, string name, int count, int dim)
    {
        Weight = builder.Parameter(Join(name, "weight"), new Shape(count, dim), ParameterInit.Normal(0f, 1f));
    }

    public Tensor Weight { get; }

    /// <summary>Indices (integer values stored as floats) of any shape → indices.shape + [dim].</summary>
    public override Tensor Forward(Tape tape, Tensor x) => tape.Embedding(x, Weight);
}
