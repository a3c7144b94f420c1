using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Modules;

/// <summary>
/// Batch normalisation; parameters "{name}.weight" and "{name}.bias", buffers "{name}.running_mean"
/// and "{name}.running_var", all [channels]. Uses batch statistics while the tape is training.
/// </summary>
public sealed class BatchNorm2d : Module
{
    public BatchNorm2d(ParameterBuilder builder, string name, int channels, float momentum = 0.1f)
    {
        Weight = builder.Parameter(Join(name, "weight"), new Shape(channels), ParameterInit.Constant(1f));
        Bias = builder.Parameter(Join(name, "bias"), new Shape(channels), ParameterInit.Constant(0f));
        RunningMean = builder.Buffer(Join(name, "running_mean"), new Shape(channels), ParameterInit.Constant(0f));
        RunningVar = builder.Buffer(Join(name, "running_var"), new Shape(channels), ParameterInit.Constant(1f));
        Momentum = momentum;
    }

    public Tensor Weight { get; }

    public Tensor Bias { get; }

    public Tensor RunningMean { get; }

    public Tensor RunningVar { get; }

    public float Momentum { get; }

    public override Tensor Forward(Tape tape, Tensor x) => tape.BatchNorm(x, Weight, Bias, RunningMean, RunningVar, Momentum);
}
