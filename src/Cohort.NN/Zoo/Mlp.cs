using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Zoo;

/// <summary>The FedAvg paper's 2NN: 784-200-200-10 with ReLU (199,210 parameters on MNIST).</summary>
internal sealed class Mlp : Module
{
    public static ZooEntry Zoo { get; } = new("mlp", "the FedAvg paper's MLP: two hidden layers of 200 ReLU units", (b, o) => new Mlp(b, o));

    private readonly Linear _fc1, _fc2, _fc3;

    public Mlp(ParameterBuilder b, ModelOptions o)
    {
        _fc1 = new Linear(b, "fc1", o.Channels * o.Height * o.Width, 200);
        _fc2 = new Linear(b, "fc2", 200, 200);
        _fc3 = new Linear(b, "fc3", 200, o.Classes);
    }

    public override Tensor Forward(Tape tape, Tensor x)
    {
        var h = tape.Relu(_fc1.Forward(tape, tape.Flatten(x)));
        h = tape.Relu(_fc2.Forward(tape, h));
        return _fc3.Forward(tape, h);
    }
}
