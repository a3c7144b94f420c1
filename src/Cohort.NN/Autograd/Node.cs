using Cohort.Tensors;

namespace Cohort.NN.Autograd;

/// <summary>How an operation turns its output's gradient into its inputs' gradients.</summary>
public interface IBackward
{
    /// <summary>Accumulates (+=) into the gradients of the node's inputs that require one.</summary>
    void Backward(Tape tape, ref Node node);
}

/// <summary>
/// One recorded operation. A plain struct kept in the tape's array so that recording allocates
/// nothing; each operation decides what its slots mean.
/// </summary>
public struct Node
{
    public IBackward Function;
    public Tensor Output;
    public Tensor? A;
    public Tensor? B;
    public Tensor? C;
    public Tensor? D;
    /// <summary>Saved intermediates (arena tensors).</summary>
    public Tensor? S0;
    public Tensor? S1;
    public Tensor? S2;
    public int[]? Ints;
    public int I0;
    public int I1;
    public int I2;
    public int I3;
    public int I4;
    public int I5;
    public float F0;
    public float F1;
    public object? Extra;
}
