using Cohort.NN.Autograd;
using Cohort.Tensors;

namespace Cohort.NN.Modules;

/// <summary>A differentiable function with parameters, recorded on a tape.</summary>
public abstract class Module
{
    public abstract Tensor Forward(Tape tape, Tensor x);

    /// <summary>Joins a parent's prefix and a child's name the way PyTorch's state dict does.</summary>
    protected static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}
