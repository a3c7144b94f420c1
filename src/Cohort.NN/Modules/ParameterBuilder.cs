using Cohort.Tensors;

namespace Cohort.NN.Modules;

/// <summary>
/// Collects a model's parameters and buffers while its modules are constructed, then lays them out
/// in one flat parameter vector (with a flat gradient vector of the same layout) and one flat buffer vector.
/// </summary>
public sealed class ParameterBuilder
{
    private readonly List<(Tensor Tensor, ParameterInit Init)> _parameters = [];
    private readonly List<(Tensor Tensor, ParameterInit Init)> _buffers = [];
    private readonly HashSet<string> _names = [];

    /// <summary>A trainable parameter named as in PyTorch's state dict (for example "fc1.weight").</summary>
    public Tensor Parameter(string name, Shape shape, ParameterInit init)
    {
        var t = Declare(name, shape);
        t.RequiresGrad = true;
        _parameters.Add((t, init));
        return t;
    }

    /// <summary>Non-trainable state kept with the model (batch norm running statistics).</summary>
    public Tensor Buffer(string name, Shape shape, ParameterInit init)
    {
        var t = Declare(name, shape);
        _buffers.Add((t, init));
        return t;
    }

    internal IReadOnlyList<(Tensor Tensor, ParameterInit Init)> Parameters => _parameters;

    internal IReadOnlyList<(Tensor Tensor, ParameterInit Init)> Buffers => _buffers;

    private Tensor Declare(string name, Shape shape)
    {
        if (!_names.Add(name))
        {
            throw new ArgumentException($"Parameter name '{name}' is declared twice.");
        }
        // Bound to its slice of the flat vector when the model is built.
        return new Tensor(shape, name);
    }
}
