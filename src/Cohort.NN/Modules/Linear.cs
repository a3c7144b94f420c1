using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Modules;

/// <summary>Fully connected layer; parameters "{name}.weight" [out, in] and "{name}.bias" [out].</summary>
public sealed class Linear : Module
{
    public Linear(ParameterBuilder builder, string name, int inFeatures, int outFeatures, bool bias = true)
    {
        var init = ParameterInit.FanIn(inFeatures);
        Weight = builder.Parameter(Join(name, "weight"), new Shape(outFeatures, inFeatures), init);
        Bias = bias ? builder.Parameter(Join(name, "bias"), new Shape(outFeatures), init) : null;
    }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tape tape, Tensor x) => tape.Linear(x, Weight, Bias);
}
