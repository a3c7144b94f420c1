using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Modules;

/// <summary>2-D convolution; parameters "{name}.weight" [out, in, k, k] and "{name}.bias" [out].</summary>
public sealed class Conv2d : Module
{
    public Conv2d(ParameterBuilder builder, string name, int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0, bool bias = true)
    {
        var init = ParameterInit.FanIn(inChannels * kernel * kernel);
        Weight = builder.Parameter(Join(name, "weight"), new Shape(outChannels, inChannels, kernel, kernel), init);
        Bias = bias ? builder.Parameter(Join(name, "bias"), new Shape(outChannels), init) : null;
        Stride = stride;
        Padding = padding;
    }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public int Stride { get; }

    public int Padding { get; }

    public override Tensor Forward(Tape tape, Tensor x) => tape.Conv2d(x, Weight, Bias, Stride, Padding);
}
