using Cohort.Federated.Algorithms;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Diagnostics;

/// <summary>Heterogeneity and noise of the clients' gradients at one point.</summary>
/// <param name="Zeta2">ζ² = Σᵢ pᵢ‖∇fᵢ(x) − ∇f(x)‖², ∇f(x) = Σᵢ pᵢ∇fᵢ(x), pᵢ the aggregation weights normalised over the sample (with uniform weighting, (1/n)Σᵢ).</param>
/// <param name="Sigma2">σ² = Σᵢ pᵢ σᵢ², σᵢ² the spread of client i's mini-batch gradients around ∇fᵢ(x): Σ_b (|b|/nᵢ)‖∇f_b(x) − ∇fᵢ(x)‖² over one pass of its batches.</param>
internal sealed record GradientStatistics(double Zeta2, double Sigma2);

/// <summary>One client's part of <see cref="GradientStatistics"/>: its full gradient ∇fᵢ(x) and the spread σᵢ² of its mini-batch gradients around it.</summary>
internal sealed record ClientGradient(float[] Gradient, double Sigma2);

/// <summary>
/// Measures <see cref="GradientStatistics"/> on a sample of clients with one pass over each one's
/// data: the mini-batch gradients give both ∇fᵢ(x) (their size-weighted mean) and σᵢ². The sample's
/// gradients are kept by position and combined in that order, so the result does not depend on workers.
/// Not a per-update hook: it measures a sample of its own (not the round's cohort) at the model after the
/// server step. A deployed client makes the same <see cref="Pass"/> on its own data and sends its
/// <see cref="ClientGradient"/>; the server then <see cref="Combine"/>s what the sample sent.
/// </summary>
internal sealed class GradientSpread(IWorkerPool executor, ObjectiveBinder bind, Func<int, double> weight)
{
    public GradientStatistics Measure(ReadOnlyMemory<float> point, int[] clients, int round)
    {
        var gradients = new ClientGradient[clients.Length];
        executor.ForEach(clients.Length, (worker, i) => gradients[i] = Pass(bind(worker, clients[i], round), point.Span));
        return Combine(gradients, [.. clients.Select(weight)]);
    }

    /// <summary>One pass over a client's batches at <paramref name="point"/>: ∇fᵢ(x) as the size-weighted mean of its mini-batch gradients, and σᵢ².</summary>
    public static ClientGradient Pass(ILocalObjective objective, ReadOnlySpan<float> point)
    {
        objective.Load(point);
        var gradient = new float[point.Length];
        int samples = objective.Samples, batch = objective.BatchSize;
        double squared = 0;
        for (int start = 0; start < samples; start += batch)
        {
            float share = (float)Math.Min(batch, samples - start) / samples;
            objective.NextBatch();
            squared += share * VectorOps.SquaredNorm(objective.Gradients);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(objective.Gradients, share, gradient, gradient);
        }
        return new ClientGradient(gradient, Math.Max(0, squared - VectorOps.SquaredNorm(gradient)));
    }

    /// <summary>ζ² and σ² of the clients' <paramref name="gradients"/> with aggregation weights <paramref name="weights"/>, combined in the order given.</summary>
    public static GradientStatistics Combine(IReadOnlyList<ClientGradient> gradients, IReadOnlyList<double> weights)
    {
        int n = gradients.Count;
        double total = weights.Sum();
        if (n == 0 || total <= 0)
        {
            return new GradientStatistics(0, 0);
        }
        int length = gradients[0].Gradient.Length;
        var mean = new double[length];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < length; j++)
            {
                mean[j] += weights[i] / total * gradients[i].Gradient[j];
            }
        }
        double zeta2 = 0, sigma = 0;
        for (int i = 0; i < n; i++)
        {
            double distance = 0;
            for (int j = 0; j < length; j++)
            {
                double d = gradients[i].Gradient[j] - mean[j];
                distance += d * d;
            }
            zeta2 += weights[i] / total * distance;
            sigma += weights[i] / total * gradients[i].Sigma2;
        }
        return new GradientStatistics(zeta2, sigma);
    }
}
