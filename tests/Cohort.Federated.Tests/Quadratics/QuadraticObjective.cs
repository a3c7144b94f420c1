using Cohort.Federated.Algorithms;

namespace Cohort.Federated.Tests.Quadratics;

/// <summary>
/// f(y) = ½‖Ay − b‖² over a worker's parameter vector. Its "samples" are the rows of A; a mini-batch
/// is the next <see cref="BatchSize"/> rows in order, and its gradient (m/|B|)·Σ_{r∈B} a_r(a_r·y − b_r)
/// averages, weighted by batch size, to the full gradient Aᵀ(Ay − b).
/// </summary>
public sealed class QuadraticObjective(float[] parameters, float[] gradients, int batchSize) : ILocalObjective
{
    private double[,] _a = new double[0, 0];
    private double[] _b = [];
    private int _start;
    private int _size;

    public Span<float> Parameters => parameters;

    public Span<float> Gradients => gradients;

    public int Samples => _b.Length;

    public int BatchSize { get; } = batchSize;

    public QuadraticObjective Bind(Quadratic client)
    {
        _a = client.A;
        _b = client.B;
        _start = 0;
        _size = 0;
        return this;
    }

    public void Load(ReadOnlySpan<float> point) => point.CopyTo(parameters);

    public float NextBatch()
    {
        if (_start + _size >= Samples)
        {
            _start = 0;
        }
        else
        {
            _start += _size;
        }
        _size = Math.Min(BatchSize, Samples - _start);
        return (float)Gradient(parameters, gradients, _start, _size);
    }

    public void BatchGradientAt(ReadOnlySpan<float> point, Span<float> gradient) => Gradient(point, gradient, _start, _size);

    public double FullGradient() => Gradient(parameters, gradients, 0, Samples);

    public double FullLoss() => Gradient(parameters, new float[parameters.Length], 0, Samples);

    /// <summary>The rows' gradient scaled to the whole objective; returns the rows' share of f.</summary>
    private double Gradient(ReadOnlySpan<float> y, Span<float> gradient, int start, int count)
    {
        int d = y.Length;
        var g = new double[d];
        double loss = 0;
        for (int r = start; r < start + count; r++)
        {
            double residual = -_b[r];
            for (int j = 0; j < d; j++)
            {
                residual += _a[r, j] * y[j];
            }
            loss += 0.5 * residual * residual;
            for (int j = 0; j < d; j++)
            {
                g[j] += _a[r, j] * residual;
            }
        }
        double scale = (double)Samples / count;
        for (int j = 0; j < d; j++)
        {
            gradient[j] = (float)(scale * g[j]);
        }
        return scale * loss;
    }
}
