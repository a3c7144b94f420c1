using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Zoo;

/// <summary>
/// LeNet-5 (LeCun et al. 1998) in its common modern form: conv 6@5x5 (padded to keep 28x28) → ReLU →
/// max-pool → conv 16@5x5 → ReLU → max-pool → FC 120 → FC 84 → classes.
/// </summary>
internal sealed class LeNet5 : Module
{
    public static ZooEntry Zoo { get; } = new("lenet5", "LeNet-5 (LeCun et al. 1998)", (b, o) => new LeNet5(b, o));

    private readonly Conv2d _conv1, _conv2;
    private readonly Linear _fc1, _fc2, _fc3;

    public LeNet5(ParameterBuilder b, ModelOptions o)
    {
        // 28x28 inputs are padded by 2 to the original 32x32 geometry; 32x32 inputs are not.
        int pad = o.Height < 32 ? (32 - o.Height) / 2 : 0;
        _conv1 = new Conv2d(b, "conv1", o.Channels, 6, 5, padding: pad);
        _conv2 = new Conv2d(b, "conv2", 6, 16, 5);
        int side = ((o.Height + 2 * pad - 4) / 2 - 4) / 2;
        int sideW = ((o.Width + 2 * pad - 4) / 2 - 4) / 2;
        _fc1 = new Linear(b, "fc1", 16 * side * sideW, 120);
        _fc2 = new Linear(b, "fc2", 120, 84);
        _fc3 = new Linear(b, "fc3", 84, o.Classes);
    }

    public override Tensor Forward(Tape tape, Tensor x)
    {
        var h = tape.MaxPool2d(tape.Relu(_conv1.Forward(tape, x)), 2);
        h = tape.MaxPool2d(tape.Relu(_conv2.Forward(tape, h)), 2);
        h = tape.Relu(_fc1.Forward(tape, tape.Flatten(h)));
        h = tape.Relu(_fc2.Forward(tape, h));
        return _fc3.Forward(tape, h);
    }
}
