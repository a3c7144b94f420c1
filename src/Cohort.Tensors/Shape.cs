using System.Runtime.CompilerServices;

namespace Cohort.Tensors;

/// <summary>An immutable tensor shape of rank 0 to 5, stored inline so that shapes never allocate.</summary>
public readonly struct Shape : IEquatable<Shape>
{
    public const int MaxRank = 5;

    private readonly int _d0, _d1, _d2, _d3, _d4;

    public int Rank { get; }

    public Shape(int d0) : this(1, d0, 0, 0, 0, 0) { }
    public Shape(int d0, int d1) : this(2, d0, d1, 0, 0, 0) { }
    public Shape(int d0, int d1, int d2) : this(3, d0, d1, d2, 0, 0) { }
    public Shape(int d0, int d1, int d2, int d3) : this(4, d0, d1, d2, d3, 0) { }
    public Shape(int d0, int d1, int d2, int d3, int d4) : this(5, d0, d1, d2, d3, d4) { }

    private Shape(int rank, int d0, int d1, int d2, int d3, int d4)
    {
        Rank = rank;
        _d0 = d0; _d1 = d1; _d2 = d2; _d3 = d3; _d4 = d4;
        for (int i = 0; i < rank; i++)
        {
            if (this[i] < 0)
            {
                throw new ArgumentException($"Shape {this}: dimension {i} is negative.");
            }
        }
    }

    /// <summary>Builds a shape from a list of dimensions (rank 0 to 5).</summary>
    public static Shape Of(ReadOnlySpan<int> dims)
    {
        return dims.Length switch
        {
            0 => default,
            1 => new Shape(dims[0]),
            2 => new Shape(dims[0], dims[1]),
            3 => new Shape(dims[0], dims[1], dims[2]),
            4 => new Shape(dims[0], dims[1], dims[2], dims[3]),
            5 => new Shape(dims[0], dims[1], dims[2], dims[3], dims[4]),
            _ => throw new ArgumentException($"A shape has at most {MaxRank} dimensions; got {dims.Length}."),
        };
    }

    public static Shape Scalar => default;

    public int this[int axis]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => axis switch
        {
            0 when Rank > 0 => _d0,
            1 when Rank > 1 => _d1,
            2 when Rank > 2 => _d2,
            3 when Rank > 3 => _d3,
            4 when Rank > 4 => _d4,
            _ => throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is outside shape {this}."),
        };
    }

    /// <summary>Number of elements (1 for a scalar).</summary>
    public int Size
    {
        get
        {
            long size = 1;
            for (int i = 0; i < Rank; i++)
            {
                size *= this[i];
            }
            return size > int.MaxValue
                ? throw new OverflowException($"Shape {this} has more than {int.MaxValue} elements.")
                : (int)size;
        }
    }

    /// <summary>Product of the dimensions from <paramref name="axis"/> on.</summary>
    public int SizeFrom(int axis)
    {
        int size = 1;
        for (int i = axis; i < Rank; i++)
        {
            size *= this[i];
        }
        return size;
    }

    /// <summary>The same shape with one axis replaced.</summary>
    public Shape With(int axis, int value)
    {
        Span<int> dims = stackalloc int[MaxRank];
        CopyTo(dims);
        dims[axis] = value;
        return Of(dims[..Rank]);
    }

    public void CopyTo(Span<int> dims)
    {
        for (int i = 0; i < Rank; i++)
        {
            dims[i] = this[i];
        }
    }

    public int[] ToArray()
    {
        var dims = new int[Rank];
        CopyTo(dims);
        return dims;
    }

    public bool Equals(Shape other)
    {
        if (Rank != other.Rank)
        {
            return false;
        }
        for (int i = 0; i < Rank; i++)
        {
            if (this[i] != other[i])
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    public override int GetHashCode() => HashCode.Combine(Rank, _d0, _d1, _d2, _d3, _d4);

    public static bool operator ==(Shape a, Shape b) => a.Equals(b);

    public static bool operator !=(Shape a, Shape b) => !a.Equals(b);

    public override string ToString()
    {
        var parts = new string[Rank];
        for (int i = 0; i < Rank; i++)
        {
            parts[i] = this[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return "[" + string.Join(", ", parts) + "]";
    }
}
