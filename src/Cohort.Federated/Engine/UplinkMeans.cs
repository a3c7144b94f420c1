using System.Numerics.Tensors;
using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;

namespace Cohort.Federated.Engine;

/// <summary>
/// The weighted means of a method's uplink values besides the update, over one exchange: each named
/// vector through an exact <see cref="WeightedMean"/>, each scalar kept by cohort slot and summed in
/// slot order, so nothing depends on which worker ran which client or when it reported.
/// </summary>
internal sealed class UplinkMeans(IFederatedAlgorithm algorithm, int length)
{
    private readonly Dictionary<string, (WeightedMean Mean, float[] Result)> _vectors = new(StringComparer.Ordinal);
    private double[,] _scalars = new double[0, 0];
    private double[] _weights = [];

    private MessageLayout Layout => algorithm.Uplink;

    /// <summary>Bytes one client's values take on the wire besides the update.</summary>
    public long Bytes => 4L * length * Layout.Vectors.Count + 4L * Layout.Scalars.Count;

    public void Begin(int slots, double expectedWeight)
    {
        _scalars = new double[slots, Layout.Scalars.Count];
        _weights = new double[slots];
        foreach (string name in Layout.Vectors)
        {
            if (!_vectors.TryGetValue(name, out var entry))
            {
                entry = (new WeightedMean(), new float[length]);
                _vectors[name] = entry;
            }
            entry.Mean.ExpectedTotalWeight = expectedWeight > 0 ? expectedWeight : 1;
            entry.Mean.Begin(length);
        }
    }

    /// <summary>Whether a client's values are all finite (null values: the method sends none).</summary>
    public bool Finite(int client, ClientBuffers? values)
    {
        if (values is null)
        {
            return Layout.Vectors.Count == 0 && Layout.Scalars.Count == 0
                ? true
                : throw new InvalidOperationException($"{algorithm.Name}: client {client} sent only its update, but the method's uplink has more.");
        }
        foreach (string name in Layout.Vectors)
        {
            if (!TensorPrimitives.IsFiniteAll<float>(values.Vector(name)))
            {
                return false;
            }
        }
        foreach (string name in Layout.Scalars)
        {
            if (values.Scalars.TryGetValue(name, out double v) && !double.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Takes the values of the client at <paramref name="slot"/> (once per slot; possibly from several threads at once).</summary>
    public void Add(int slot, int client, ClientBuffers? values, double weight)
    {
        if (values is null)
        {
            return;
        }
        foreach (string name in Layout.Vectors)
        {
            _vectors[name].Mean.Add(values.Vector(name), weight);
        }
        for (int k = 0; k < Layout.Scalars.Count; k++)
        {
            string name = Layout.Scalars[k];
            _scalars[slot, k] = values.Scalars.TryGetValue(name, out double v) ? v : throw new InvalidOperationException($"{algorithm.Name}: client {client} did not send '{name}'.");
        }
        _weights[slot] = weight;
    }

    /// <summary>The total weight of the clients taken, summed in slot order.</summary>
    public double Weight
    {
        get
        {
            double sum = 0;
            foreach (double w in _weights)
            {
                sum += w;
            }
            return sum;
        }
    }

    public IReadOnlyDictionary<string, float[]> CompleteVectors() => Layout.Vectors.ToDictionary(name => name, name =>
    {
        var (mean, result) = _vectors[name];
        mean.Complete(result);
        return result;
    }, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> CompleteScalars(double weight)
    {
        var means = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int k = 0; k < Layout.Scalars.Count; k++)
        {
            double sum = 0;
            for (int i = 0; i < _weights.Length; i++)
            {
                sum += _weights[i] * _scalars[i, k];
            }
            means[Layout.Scalars[k]] = weight > 0 ? sum / weight : 0;
        }
        return means;
    }
}
