using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Zoo;

/// <summary>Multinomial logistic regression: one linear layer "fc" on the flattened input.</summary>
internal sealed class LogisticRegression : Module
{
    public static ZooEntry Zoo { get; } = new("logreg", "multinomial logistic regression on the flattened input", (b, o) => new LogisticRegression(b, o));

    private readonly Linear _fc;

    public LogisticRegression(ParameterBuilder b, ModelOptions o)
    {
        _fc = new Linear(b, "fc", o.Channels * o.Height * o.Width, o.Classes);
    }

    public override Tensor Forward(Tape tape, Tensor x) => _fc.Forward(tape, tape.Flatten(x));
}
