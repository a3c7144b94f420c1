using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Modules;

/// <summary>Layer normalisation over the last dimension; parameters "{name}.weight" and "{name}.bias" [features].</summary>
public sealed class LayerNorm : Module
{
    public LayerNorm(ParameterBuilder builder, string name, int features)
    {
        Weight = builder.Parameter(Join(name, "weight"), new Shape(features), ParameterInit.Constant(1f));
        Bias = builder.Parameter(Join(name, "bias"), new Shape(features), ParameterInit.Constant(0f));
    }

    public Tensor Weight { get; }

    public Tensor Bias { get; }

    public override Tensor Forward(Tape tape, Tensor x) => tape.LayerNorm(x, Weight, Bias);
}
