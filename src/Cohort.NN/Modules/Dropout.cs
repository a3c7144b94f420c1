using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Modules;

/// <summary>Dropout with probability p while the tape is training; the identity otherwise. No parameters.</summary>
public sealed class Dropout : Module
{
    public Dropout(float p)
    {
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout probability {p} is outside [0, 1].");
        }
        P = p;
    }

    public float P { get; }

    public override Tensor Forward(Tape tape, Tensor x) => tape.Dropout(x, P);
}
