using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.NN.Modules;

/// <summary>
/// A model: its module tree, and every parameter as a named view into one flat vector (gradients
/// into a flat vector of the same layout). Everything federated works on these vectors.
/// </summary>
public sealed class Model
{
    private readonly Tensor[] _parameters;
    private readonly Tensor[] _buffers;

    public Model(string name, Module root, ParameterBuilder builder, Shape sampleShape, ulong seed)
    {
        Name = name;
        Root = root;
        SampleShape = sampleShape;
        _parameters = builder.Parameters.Select(p => p.Tensor).ToArray();
        _buffers = builder.Buffers.Select(p => p.Tensor).ToArray();
        Parameters = new float[_parameters.Sum(p => p.Size)];
        Gradients = new float[Parameters.Length];
        Buffers = new float[_buffers.Sum(p => p.Size)];
        int offset = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var t = _parameters[i];
            t.Rebind(Parameters, offset, t.Shape);
            t.AttachGrad(Gradients, offset);
            var random = RandomStream.Create(seed, RandomStream.Purpose("init"), i);
            builder.Parameters[i].Init.Fill(t.Data, ref random);
            offset += t.Size;
        }
        offset = 0;
        for (int i = 0; i < _buffers.Length; i++)
        {
            var t = _buffers[i];
            t.Rebind(Buffers, offset, t.Shape);
            var random = RandomStream.Create(seed, RandomStream.Purpose("buffer"), i);
            builder.Buffers[i].Init.Fill(t.Data, ref random);
            offset += t.Size;
        }
    }

    /// <summary>The zoo name (or a user's name) of this architecture.</summary>
    public string Name { get; }

    public Module Root { get; }

    /// <summary>Shape of one input sample, without the batch dimension.</summary>
    public Shape SampleShape { get; }

    /// <summary>All trainable parameters, flat.</summary>
    public float[] Parameters { get; }

    /// <summary>Gradients of <see cref="Parameters"/>, same layout.</summary>
    public float[] Gradients { get; }

    /// <summary>Non-trainable state (batch norm running statistics), flat.</summary>
    public float[] Buffers { get; }

    /// <summary>Named views into <see cref="Parameters"/>, in declaration order.</summary>
    public IReadOnlyList<Tensor> NamedParameters => _parameters;

    /// <summary>Named views into <see cref="Buffers"/>, in declaration order.</summary>
    public IReadOnlyList<Tensor> NamedBuffers => _buffers;

    public int ParameterCount => Parameters.Length;

    public Tensor Forward(Tape tape, Tensor x) => Root.Forward(tape, x);

    public void ZeroGrad() => Array.Clear(Gradients);
}
