using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Modules;

/// <summary>Group normalisation; parameters "{name}.weight" and "{name}.bias" [channels].</summary>
public sealed class GroupNorm : Module
{
    public GroupNorm(ParameterBuilder builder, string name, int groups, int channels)
    {
        if (groups <= 0 || channels % groups != 0)
        {
            throw new ArgumentException($"GroupNorm '{name}': {channels} channels do not split into {groups} groups.");
        }
        Groups = groups;
        Weight = builder.Parameter(Join(name, "weight"), new Shape(channels), ParameterInit.Constant(1f));
        Bias = builder.Parameter(Join(name, "bias"), new Shape(channels), ParameterInit.Constant(0f));
    }

    public int Groups { get; }

    public Tensor Weight { get; }

    public Tensor Bias { get; }

    public override Tensor Forward(Tape tape, Tensor x) => tape.GroupNorm(x, Groups, Weight, Bias);
}
