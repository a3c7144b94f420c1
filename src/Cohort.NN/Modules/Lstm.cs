using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Modules;

/// <summary>
/// A batch-first multi-layer LSTM with PyTorch's names and layout: "{name}.weight_ih_l{k}" [4H, in],
/// "{name}.weight_hh_l{k}" [4H, H], "{name}.bias_ih_l{k}" and "{name}.bias_hh_l{k}" [4H], all U(±1/√H).
/// Forward maps x [N, T, in] to the last layer's h [N, T, H].
/// </summary>
public sealed class Lstm : Module
{
    private readonly Tensor[] _parameters;

    public Lstm(ParameterBuilder builder, string name, int inputSize, int hiddenSize, int layers = 1)
    {
        if (inputSize <= 0 || hiddenSize <= 0 || layers <= 0)
        {
            throw new ArgumentException($"Lstm '{name}': input size {inputSize}, hidden size {hiddenSize} and layers {layers} must be positive.");
        }
        var init = ParameterInit.FanIn(hiddenSize);
        _parameters = new Tensor[4 * layers];
        for (int k = 0; k < layers; k++)
        {
            int input = k == 0 ? inputSize : hiddenSize;
            _parameters[4 * k] = builder.Parameter(Join(name, $"weight_ih_l{k}"), new Shape(4 * hiddenSize, input), init);
            _parameters[4 * k + 1] = builder.Parameter(Join(name, $"weight_hh_l{k}"), new Shape(4 * hiddenSize, hiddenSize), init);
            _parameters[4 * k + 2] = builder.Parameter(Join(name, $"bias_ih_l{k}"), new Shape(4 * hiddenSize), init);
            _parameters[4 * k + 3] = builder.Parameter(Join(name, $"bias_hh_l{k}"), new Shape(4 * hiddenSize), init);
        }
        HiddenSize = hiddenSize;
        Layers = layers;
    }

    public int HiddenSize { get; }

    public int Layers { get; }

    /// <summary>weight_ih, weight_hh, bias_ih, bias_hh of each layer in turn.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    public override Tensor Forward(Tape tape, Tensor x) => tape.Lstm(x, _parameters);
}
