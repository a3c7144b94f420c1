using Cohort.Federated.Diagnostics;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using static Cohort.Federated.Tests.Quadratics.Reference;

namespace Cohort.Federated.Tests.Quadratics;

public class GradientSpreadTests
{
    [Fact]
    public void Zeta2EqualsTheAnalyticValueWhenClientsShareTheHessian()
    {
        // fᵢ(x) = ½‖Ax − bᵢ‖²: ∇fᵢ − ∇f = −Aᵀ(bᵢ − Σⱼpⱼbⱼ) at every x.
        var shared = Quadratic.Random(6, 4, 21);
        var clients = Enumerable.Range(0, 5).Select(i => shared with { B = Quadratic.Random(6, 4, 30 + i, i - 2).B }).ToArray();
        using var fed = new QuadraticFederation(new FedAvg(), clients, new LocalWork(null, 1, 1000, 0.1f, "sgd", 0, 0), uniform: false);
        var p = fed.Weights.Select(w => w / fed.Weights.Sum()).ToArray();
        var meanB = Enumerable.Range(0, 6).Select(r => clients.Select((c, i) => p[i] * c.B[r]).Sum()).ToArray();
        double analytic = 0;
        for (int i = 0; i < clients.Length; i++)
        {
            var diff = new double[4];
            for (int r = 0; r < 6; r++)
            {
                for (int j = 0; j < 4; j++)
                {
                    diff[j] += shared.A[r, j] * (clients[i].B[r] - meanB[r]);
                }
            }
            analytic += p[i] * Norm2(diff);
        }
        var spread = new GradientSpread(fed.Executor, fed.Binder, k => fed.Weights[k]);
        int[] all = [0, 1, 2, 3, 4];
        foreach (float[] x in new[] { new float[4], new[] { 1f, -2f, 0.5f, 3f } })
        {
            var stats = spread.Measure(x, all, 1);
            Assert.Equal(analytic, stats.Zeta2, analytic * 1e-5);
            // One batch of all rows: no sampling noise.
            Assert.Equal(0, stats.Sigma2, 1e-9);
        }
        Assert.True(analytic > 0.1);
    }

    [Fact]
    public void Sigma2IsTheSpreadOfMiniBatchGradients()
    {
        Quadratic[] clients = [Quadratic.Random(4, 3, 41), Quadratic.Random(6, 3, 42, 1)];
        using var fed = new QuadraticFederation(new FedAvg(), clients, new LocalWork(null, 1, 2, 0.1f, "sgd", 0, 0), batchSize: 2, threads: 2);
        double[] x = [0.3, -0.1, 0.7];
        double expected = 0;
        foreach (var c in clients)
        {
            var full = c.Gradient(x);
            for (int start = 0; start < c.Rows; start += 2)
            {
                expected += 0.5 * 2.0 / c.Rows * Norm2(Add(c.Gradient(x, start, 2), full, -1));
            }
        }
        var stats = new GradientSpread(fed.Executor, fed.Binder, _ => 1).Measure(x.Select(v => (float)v).ToArray(), [0, 1], 1);
        Assert.Equal(expected, stats.Sigma2, expected * 1e-4);
    }
}
