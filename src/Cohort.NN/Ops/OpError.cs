using Cohort.Tensors;

namespace Cohort.NN.Ops;

/// <summary>Shape checks shared by operations; messages name the operation, the tensors and their shapes.</summary>
internal static class OpError
{
    public static void Rank(string op, Tensor t, int rank, string role)
    {
        if (t.Shape.Rank != rank)
        {
            throw new ArgumentException($"{op}: {role} '{t.Describe()}' must have {rank} dimensions.");
        }
    }

    public static void SameShape(string op, Tensor a, Tensor b)
    {
        if (a.Shape != b.Shape)
        {
            throw new ArgumentException($"{op}: shapes differ: '{a.Describe()}' and '{b.Describe()}'.");
        }
    }

    public static void Dim(string op, Tensor t, int axis, int expected, string what)
    {
        if (t.Shape.Rank <= axis || t.Shape[axis] != expected)
        {
            throw new ArgumentException($"{op}: '{t.Describe()}' must have {expected} in dimension {axis} ({what}).");
        }
    }

    public static void Labels(string op, ReadOnlySpan<int> labels, int classes)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentException($"{op}: label {labels[i]} at position {i} is outside [0, {classes}).");
            }
        }
    }
}
