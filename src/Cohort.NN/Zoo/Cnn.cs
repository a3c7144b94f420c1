using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Zoo;

/// <summary>
/// The FedAvg paper's MNIST CNN: 5x5 conv 32 'same' → 2x2 max-pool → 5x5 conv 64 'same' → 2x2 max-pool
/// → FC 512 ReLU → classes (1,663,370 parameters on MNIST), flattened channel-first.
/// </summary>
internal sealed class Cnn : Module
{
    public static ZooEntry Zoo { get; } = new("cnn", "the FedAvg paper's MNIST CNN: two 5×5 convolutions with max-pooling, FC 512", (b, o) => new Cnn(b, o));

    private readonly Conv2d _conv1, _conv2;
    private readonly Linear _fc1, _fc2;

    public Cnn(ParameterBuilder b, ModelOptions o)
    {
        _conv1 = new Conv2d(b, "conv1", o.Channels, 32, 5, padding: 2);
        _conv2 = new Conv2d(b, "conv2", 32, 64, 5, padding: 2);
        _fc1 = new Linear(b, "fc1", 64 * (o.Height / 4) * (o.Width / 4), 512);
        _fc2 = new Linear(b, "fc2", 512, o.Classes);
    }

    public override Tensor Forward(Tape tape, Tensor x)
    {
        // Max-pooling before ReLU gives the same values and gradients (both are monotone, and a
        // window whose maximum is not positive passes no gradient either way) on a quarter of the elements.
        var h = tape.Relu(tape.MaxPool2d(_conv1.Forward(tape, x), 2));
        h = tape.Relu(tape.MaxPool2d(_conv2.Forward(tape, h), 2));
        h = tape.Relu(_fc1.Forward(tape, tape.Flatten(h)));
        return _fc2.Forward(tape, h);
    }
}
