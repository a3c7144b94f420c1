namespace Cohort.Tensors;

/// <summary>
/// A float32 tensor: a shape over a contiguous range of a buffer. The buffer may be shared
/// (a parameter is a view into a model's flat parameter vector), and so may the gradient.
/// </summary>
public sealed class Tensor
{
    private float[] _data;
    private int _offset;
    private float[]? _grad;
    private int _gradOffset;

    public Tensor(Shape shape, string? name = null)
        : this(new float[shape.Size], 0, shape, name)
    {
    }

    public Tensor(float[] data, int offset, Shape shape, string? name = null)
    {
        CheckRange(data, offset, shape, name ?? "tensor");
        _data = data;
        _offset = offset;
        Shape = shape;
        Name = name;
    }

    public Shape Shape { get; private set; }

    /// <summary>Optional name used in error messages and files (for parameters: the PyTorch name).</summary>
    public string? Name { get; set; }

    /// <summary>Whether backward passes should produce a gradient for this tensor.</summary>
    public bool RequiresGrad { get; set; }

    public int Size => Shape.Size;

    public float[] Buffer => _data;

    public int Offset => _offset;

    public Span<float> Data => _data.AsSpan(_offset, Shape.Size);

    public bool HasGrad => _grad is not null;

    /// <summary>The gradient range; throws when no gradient buffer is attached.</summary>
    public Span<float> Grad => _grad is null
        ? throw new InvalidOperationException($"Tensor '{Describe()}' has no gradient buffer.")
        : _grad.AsSpan(_gradOffset, Shape.Size);

    public float[]? GradBuffer => _grad;

    public int GradOffset => _gradOffset;

    public static Tensor FromArray(float[] values, Shape shape, string? name = null)
    {
        if (values.Length != shape.Size)
        {
            throw new ArgumentException($"Tensor '{name ?? "tensor"}': {values.Length} values do not fill shape {shape} ({shape.Size} elements).");
        }
        return new Tensor(values, 0, shape, name);
    }

    /// <summary>Points this tensor at a range of a gradient buffer (a view into a flat gradient vector).</summary>
    public void AttachGrad(float[] grad, int offset)
    {
        CheckRange(grad, offset, Shape, Name ?? "tensor");
        _grad = grad;
        _gradOffset = offset;
    }

    /// <summary>Re-points this tensor at another buffer range and shape; used by arenas that reuse tensors.</summary>
    public void Rebind(float[] data, int offset, Shape shape)
    {
        CheckRange(data, offset, shape, Name ?? "tensor");
        _data = data;
        _offset = offset;
        Shape = shape;
    }

    /// <summary>Changes the shape while keeping the element count (no copy).</summary>
    public void Reshape(Shape shape)
    {
        if (shape.Size != Shape.Size)
        {
            throw new ArgumentException($"Cannot reshape '{Describe()}' from {Shape} to {shape}: element counts differ.");
        }
        Shape = shape;
    }

    public float[] ToArray() => Data.ToArray();

    public string Describe() => $"{Name ?? "tensor"} {Shape}";

    public override string ToString() => Describe();

    private static void CheckRange(float[] data, int offset, Shape shape, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (offset < 0 || (long)offset + shape.Size > data.Length)
        {
            throw new ArgumentException($"Tensor '{name}' of shape {shape} at offset {offset} does not fit a buffer of {data.Length} floats.");
        }
    }
}
