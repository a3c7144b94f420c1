using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Zoo;

/// <summary>
/// The zoo's CNN (<see cref="Cnn"/>) with batch normalisation after each convolution, as FedBN's models place
/// it (Li et al. 2021; med-air/FedBN's DigitModel: conv → bn → ReLU → max-pool): 5x5 conv 32 'same' → bn1 → 2x2
/// max-pool → 5x5 conv 64 'same' → bn2 → 2x2 max-pool → FC 512 ReLU → classes; layers bn1 and bn2 hold the
/// running statistics (1,663,562 parameters on MNIST).
/// </summary>
internal sealed class CnnBn : Module
{
    public static ZooEntry Zoo { get; } = new("cnn-bn", "the FedAvg paper's MNIST CNN with batch norm after each convolution (FedBN's placement)", (b, o) => new CnnBn(b, o));

    private readonly Conv2d _conv1, _conv2;
    private readonly BatchNorm2d _bn1, _bn2;
    private readonly Linear _fc1, _fc2;

    public CnnBn(ParameterBuilder b, ModelOptions o)
    {
        _conv1 = new Conv2d(b, "conv1", o.Channels, 32, 5, padding: 2);
        _bn1 = new BatchNorm2d(b, "bn1", 32);
        _conv2 = new Conv2d(b, "conv2", 32, 64, 5, padding: 2);
        _bn2 = new BatchNorm2d(b, "bn2", 64);
        _fc1 = new Linear(b, "fc1", 64 * (o.Height / 4) * (o.Width / 4), 512);
        _fc2 = new Linear(b, "fc2", 512, o.Classes);
    }

    public override Tensor Forward(Tape tape, Tensor x)
    {
        var h = tape.MaxPool2d(tape.Relu(_bn1.Forward(tape, _conv1.Forward(tape, x))), 2);
        h = tape.MaxPool2d(tape.Relu(_bn2.Forward(tape, _conv2.Forward(tape, h))), 2);
        h = tape.Relu(_fc1.Forward(tape, tape.Flatten(h)));
        return _fc2.Forward(tape, h);
    }
}
