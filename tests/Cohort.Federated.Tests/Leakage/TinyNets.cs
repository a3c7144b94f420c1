using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Leakage;

/// <summary>Small models for the leakage tests: a one-hidden-layer tanh or sigmoid MLP on small images.</summary>
internal static class TinyNets
{
    public static Model Mlp(int channels, int side, int hidden, int classes, ulong seed, bool sigmoid = false)
    {
        var builder = new ParameterBuilder();
        var root = new TwoLayer(builder, channels * side * side, hidden, classes, sigmoid);
        return new Model("tiny", root, builder, new Shape(channels, side, side), seed);
    }

    /// <summary>Values uniform in [0, 1].</summary>
    public static float[] Image(int size, ulong seed)
    {
        var random = RandomStream.Create(seed);
        var x = new float[size];
        random.FillUniform(x, 0, 1);
        return x;
    }

    private sealed class TwoLayer(ParameterBuilder b, int inputs, int hidden, int classes, bool sigmoid) : Module
    {
        public Linear Fc1 { get; } = new(b, "fc1", inputs, hidden);

        public Linear Fc2 { get; } = new(b, "fc2", hidden, classes);

        public override Tensor Forward(Tape tape, Tensor x)
        {
            var a = Fc1.Forward(tape, tape.Flatten(x));
            return Fc2.Forward(tape, sigmoid ? tape.Sigmoid(a) : tape.Tanh(a));
        }
    }
}
