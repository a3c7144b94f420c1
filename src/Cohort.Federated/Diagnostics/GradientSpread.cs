using Cohort.Federated.Algorithms;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Diagnostics;

/// <summary>Heterogeneity and noise of the clients' gradients at one point.</summary>
/// <param name="Zeta2">ζ² = Σᵢ pᵢ‖∇fᵢ(x) − ∇f(x)‖², ∇f(x) = Σᵢ pᵢ∇fᵢ(x), pᵢ the aggregation weights normalised over the sample (with uniform weighting, (1/n)Σᵢ).</param>
/// <param name="Sigma2">σ² = Σᵢ pᵢ σᵢ², σᵢ² the spread of client i's mini-batch gradients around ∇fᵢ(x): Σ_b (|b|/nᵢ)‖∇f_b(x) − ∇fᵢ(x)‖² over one pass of its batches.</param>
internal sealed record GradientStatistics(double Zeta2, double Sigma2);

/// <summary>
/// Measures <see cref="GradientStatistics"/> on a sample of clients with one pass over each one's
/// data: the mini-batch gradients give both ∇fᵢ(x) (their size-weighted mean) and σᵢ². The sample's
/// gradients are kept by position and combined in that order, so the result does not depend on workers.
/// Not a per-update hook: it measures a sample of its own (not the round's cohort) at the model after the
/// server step, so it needs the clients' data in this process (a deployed server does not write it).
/// </summary>
internal sealed class GradientSpread(IWorkerPool executor, ObjectiveBinder bind, Func<int, double> weight)
{
    public GradientStatistics Measure(ReadOnlyMemory<float> point, int[] clients, int round)
    {
        int n = clients.Length, length = point.Length;
        var gradients = new float[n][];
        var sigma2 = new double[n];
        executor.ForEach(n, (worker, i) =>
        {
            var objective = bind(worker, clients[i], round);
            objective.Load(point.Span);
            var gradient = new float[length];
            int samples = objective.Samples, batch = objective.BatchSize;
            double squared = 0;
            for (int start = 0; start < samples; start += batch)
            {
                float share = (float)Math.Min(batch, samples - start) / samples;
                objective.NextBatch();
                squared += share * VectorOps.SquaredNorm(objective.Gradients);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(objective.Gradients, share, gradient, gradient);
            }
            gradients[i] = gradient;
            sigma2[i] = Math.Max(0, squared - VectorOps.SquaredNorm(gradient));
        });

        var p = clients.Select(weight).ToArray();
        double total = p.Sum();
        if (total <= 0)
        {
            return new GradientStatistics(0, 0);
        }
        var mean = new double[length];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < length; j++)
            {
                mean[j] += p[i] / total * gradients[i][j];
            }
        }
        double zeta2 = 0, sigma = 0;
        for (int i = 0; i < n; i++)
        {
            double distance = 0;
            for (int j = 0; j < length; j++)
            {
                double d = gradients[i][j] - mean[j];
                distance += d * d;
            }
            zeta2 += p[i] / total * distance;
            sigma += p[i] / total * sigma2[i];
        }
        return new GradientStatistics(zeta2, sigma);
    }
}
