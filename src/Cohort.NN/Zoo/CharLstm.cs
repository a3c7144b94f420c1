using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Zoo;

/// <summary>
/// The next-character model of the FedAvg paper's Shakespeare task: embedding (8) → 2-layer LSTM
/// (256) → fc on the last step. Input [N, T] token ids as floats, output logits [N, vocabulary]
/// (819,920 parameters for a vocabulary of 80).
/// </summary>
internal sealed class CharLstm : Module
{
    public static ZooEntry Zoo { get; } = new("charlstm", "a character LSTM for next-character prediction", (b, o) => new CharLstm(b, o))
    {
        SampleShape = o => new Shape(o.SequenceLength),
    };

    private readonly Embedding _embedding;
    private readonly Lstm _lstm;
    private readonly Linear _fc;

    public CharLstm(ParameterBuilder b, ModelOptions o)
    {
        _embedding = new Embedding(b, "embedding", o.Vocabulary, 8);
        _lstm = new Lstm(b, "lstm", 8, 256, layers: 2);
        _fc = new Linear(b, "fc", 256, o.Vocabulary);
    }

    public override Tensor Forward(Tape tape, Tensor x)
    {
        if (x.Shape.Rank != 2)
        {
            throw new ArgumentException($"charlstm: input '{x.Describe()}' must be [N, T] token ids.");
        }
        var h = _lstm.Forward(tape, _embedding.Forward(tape, x));
        return _fc.Forward(tape, tape.Select(h, 1, -1));
    }
}
