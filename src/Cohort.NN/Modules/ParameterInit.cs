using Cohort.Tensors.Random;

namespace Cohort.NN.Modules;

/// <summary>How a parameter or buffer is initialised; defaults follow PyTorch's layer initialisers.</summary>
public readonly record struct ParameterInit(ParameterInit.Kind How, float A, float B)
{
    public enum Kind
    {
        Constant,
        Uniform,
        Normal,
    }

    public static ParameterInit Constant(float value) => new(Kind.Constant, value, 0);

    public static ParameterInit Uniform(float low, float high) => new(Kind.Uniform, low, high);

    public static ParameterInit Normal(float mean, float std) => new(Kind.Normal, mean, std);

    /// <summary>PyTorch's Linear/Conv default (kaiming-uniform with a = √5 for weights, and for biases): U(±1/√fan_in).</summary>
    public static ParameterInit FanIn(int fanIn)
    {
        float bound = fanIn > 0 ? 1f / MathF.Sqrt(fanIn) : 0f;
        return Uniform(-bound, bound);
    }

    public void Fill(Span<float> values, ref RandomStream random)
    {
        switch (How)
        {
            case Kind.Constant:
                values.Fill(A);
                break;
            case Kind.Uniform:
                random.FillUniform(values, A, B);
                break;
            case Kind.Normal:
                random.FillNormal(values, A, B);
                break;
        }
    }
}
