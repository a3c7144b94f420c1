namespace Cohort.Federated.State;

/// <summary>The values of one <see cref="StateDeclaration"/>: its vectors (zeros at first) and scalars (0 at first).</summary>
public sealed class StateRecord
{
    private readonly float[][] _vectors;
    private readonly double[] _scalars;

    public StateRecord(StateDeclaration declaration, int modelLength)
    {
        Declaration = declaration;
        _vectors = [.. declaration.Vectors.Select(v => new float[v.LengthFor(modelLength)])];
        _scalars = new double[declaration.Scalars.Count];
    }

    public StateDeclaration Declaration { get; }

    /// <summary>The vectors, in declaration order.</summary>
    public IReadOnlyList<float[]> Vectors => _vectors;

    /// <summary>The declared vector <paramref name="name"/>, written in place.</summary>
    public float[] Vector(string name)
    {
        for (int i = 0; i < _vectors.Length; i++)
        {
            if (Declaration.Vectors[i].Name == name)
            {
                return _vectors[i];
            }
        }
        throw new KeyNotFoundException($"The server state of {Declaration.Owner} declares no vector '{name}'.");
    }

    /// <summary>The scalars, in declaration order.</summary>
    public IReadOnlyList<double> Scalars => _scalars;

    public double Scalar(string name) => _scalars[ScalarIndex(name)];

    public void SetScalar(string name, double value) => _scalars[ScalarIndex(name)] = value;

    /// <summary>Whether this record has the owner and fields of <paramref name="declaration"/>, of the lengths it gives (model-sized: <paramref name="modelLength"/>), in the same order.</summary>
    public bool Fits(StateDeclaration declaration, int modelLength) =>
        Declaration.Owner == declaration.Owner
        && Declaration.Vectors.Select(v => v.Name).SequenceEqual(declaration.Vectors.Select(v => v.Name), StringComparer.Ordinal)
        && _vectors.Select(v => v.Length).SequenceEqual(declaration.Vectors.Select(v => v.LengthFor(modelLength)))
        && Declaration.Scalars.SequenceEqual(declaration.Scalars, StringComparer.Ordinal);

    /// <summary>The fields as text, for errors: "owner: vectors a (n), b (m); scalars s".</summary>
    public string Describe() =>
        $"{Declaration.Owner}: vectors {(_vectors.Length == 0 ? "none" : string.Join(", ", Declaration.Vectors.Select((v, i) => $"{v.Name} ({_vectors[i].Length})")))}; scalars {(_scalars.Length == 0 ? "none" : string.Join(", ", Declaration.Scalars))}";

    /// <summary>Takes every value of <paramref name="saved"/>, a record that fits this one's declaration.</summary>
    public void CopyFrom(StateRecord saved)
    {
        for (int i = 0; i < _vectors.Length; i++)
        {
            saved._vectors[i].CopyTo(_vectors[i], 0);
        }
        saved._scalars.CopyTo(_scalars, 0);
    }

    private int ScalarIndex(string name)
    {
        for (int i = 0; i < _scalars.Length; i++)
        {
            if (Declaration.Scalars[i] == name)
            {
                return i;
            }
        }
        throw new KeyNotFoundException($"The server state of {Declaration.Owner} declares no scalar '{name}'.");
    }
}
