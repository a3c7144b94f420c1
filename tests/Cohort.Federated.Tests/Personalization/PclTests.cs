using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Tests.Quadratics;
using static Cohort.Federated.Tests.Quadratics.Reference;

namespace Cohort.Federated.Tests.Personalization;

/// <summary>
/// Personalized collaborative learning against its definition (Chayti et al. 2022): on fᵢ(x) = ½‖x − bᵢ‖²
/// the gradient of client j at client i's model is xᵢ − bⱼ, so every step is computable by hand.
/// </summary>
public class PclTests
{
    private static readonly double[][] Targets = [[1, 0], [0, 2], [-1, 1]];

    /// <summary>fᵢ(x) = ½‖x − bᵢ‖²: A = I, one row per coordinate.</summary>
    private static Quadratic Centered(double[] b)
    {
        var a = new double[b.Length, b.Length];
        for (int j = 0; j < b.Length; j++)
        {
            a[j, j] = 1;
        }
        return new Quadratic(a, b);
    }

    private static readonly Quadratic[] Clients = [.. Targets.Select(Centered)];

    private static LocalWork Work(int steps, double lr) => new(null, steps, 1000, (float)lr, "sgd", 0, 0);

    private static float[] Stored(QuadraticFederation fed, int client, string vector)
    {
        var values = new float[2];
        Assert.True(fed.States.TryRead(client, Pcl.ClientState[vector], values), $"client {client} keeps no {vector}");
        return values;
    }

    [Fact]
    public void AWeightedGradientAveragingStepUsesEveryClientsGradientAtTheClientsOwnModel()
    {
        // α = 0.5, η = 0.1, two steps from x = 0. Client 0: step 1 at x = 0 has g₀ = −b₀ = (−1, 0) and
        // ḡ = mean(−b₁, −b₂) = (0.5, −1.5), so x ← −0.1·(0.5·(−1, 0) + 0.5·(0.5, −1.5)) = (0.025, 0.075);
        // step 2 at x = (0.025, 0.075) has g₀ = (−0.975, 0.075), ḡ = (0.525, −1.425): x ← (0.0475, 0.1425).
        using var fed = new QuadraticFederation(new Pcl(0.5f, false, 0), Clients, Work(2, 0.1), [0, 0]);
        fed.Run(1);
        Close([0.0475, 0.1425], Stored(fed, 0, Pcl.ModelVector));
        // The others by the same rule: each xᵢ moves toward tᵢ = α bᵢ + (1 − α) mean_{j≠i} bⱼ, xᵢ = (1 − (1 − η)²) tᵢ.
        var models = new double[3][];
        for (int i = 0; i < 3; i++)
        {
            var others = Mean([.. Targets.Where((_, j) => j != i)], [1, 1]);
            models[i] = Scale(Add(Scale(Targets[i], 0.5), others, 0.5), 1 - 0.9 * 0.9);
            Close(models[i], Stored(fed, i, Pcl.ModelVector));
        }
        // The server's model is the mean personal model.
        Close(Mean(models, [1, 1, 1]), fed.Server.Global);
    }

    [Fact]
    public void WithAllWeightOnItsOwnGradientEachClientTrainsAlone()
    {
        Quadratic[] clients = [Quadratic.Random(4, 3, 1, 0), Quadratic.Random(6, 3, 2, 1), Quadratic.Random(5, 3, 3, -1)];
        double[] start = [0.5, -0.3, 0.2];
        using var fed = new QuadraticFederation(new Pcl(1, false, 0), clients, Work(3, 0.1), start);
        fed.Run(1);
        fed.Run(2);
        for (int i = 0; i < clients.Length; i++)
        {
            var stored = new float[3];
            Assert.True(fed.States.TryRead(i, Pcl.ClientState[Pcl.ModelVector], stored));
            Close(Descend(clients[i], start, 6, 0.1), stored);
        }
    }

    [Fact]
    public void UniformWeightsOnEqualModelsTakeAFedSgdStep()
    {
        Quadratic[] clients = [Quadratic.Random(4, 3, 1, 0), Quadratic.Random(6, 3, 2, 1), Quadratic.Random(5, 3, 3, -1)];
        double[] start = [0.5, -0.3, 0.2];
        const double lr = 0.2;
        // Unset α is 1/m: every client weighs the three gradients alike, at the same broadcast model.
        using var fed = new QuadraticFederation(new Pcl(null, false, 0), clients, Work(1, lr), start);
        fed.Run(1);
        var fedSgd = Add(start, Mean([.. clients.Select(c => c.Gradient(start))], [1, 1, 1]), -lr);
        for (int i = 0; i < clients.Length; i++)
        {
            var stored = new float[3];
            Assert.True(fed.States.TryRead(i, Pcl.ClientState[Pcl.ModelVector], stored));
            Close(fedSgd, stored);
        }
        Close(fedSgd, fed.Server.Global);
    }

    [Fact]
    public void BiasCorrectionSubtractsAMovingAverageOfPastGradientDifferences()
    {
        const double alpha = 0.25, beta = 0.5, lr = 0.1;
        using var fed = new QuadraticFederation(new Pcl((float)alpha, true, (float)beta), Clients, Work(2, lr), [0, 0]);
        fed.Run(1);
        // Client 0: ḡ − g₀ = b₀ − mean(b₁, b₂) = δ = (1.5, −1.5) at any x, so c after k steps is (1 − (1 − β)ᵏ)δ.
        Close([0.75 * 1.5, 0.75 * -1.5], Stored(fed, 0, Pcl.CorrectionVector));
        fed.Run(2);
        Close([0.9375 * 1.5, 0.9375 * -1.5], Stored(fed, 0, Pcl.CorrectionVector));
        // The models by hand: x ← x − η(α(x − bᵢ) + (1 − α)(x − b̄ − c)), then c ← (1 − β)c + β(bᵢ − b̄), four steps.
        for (int i = 0; i < 3; i++)
        {
            var others = Mean([.. Targets.Where((_, j) => j != i)], [1, 1]);
            double[] x = [0, 0], c = [0, 0];
            for (int step = 0; step < 4; step++)
            {
                var own = Add(x, Targets[i], -1);
                var mean = Add(x, others, -1);
                x = Add(x, Add(Scale(own, alpha), Add(mean, c, -1), 1 - alpha), -lr);
                c = Add(Scale(c, 1 - beta), Add(mean, own, -1), beta);
            }
            Close(x, Stored(fed, i, Pcl.ModelVector));
            Close(c, Stored(fed, i, Pcl.CorrectionVector));
        }
    }

    [Fact]
    public void BiasCorrectionReachesTheClientsOwnOptimumWhereWeightedAveragingStopsShort()
    {
        const double alpha = 0.25;
        using var corrected = new QuadraticFederation(new Pcl((float)alpha, true, 0.5f), Clients, Work(5, 0.3), [0, 0]);
        using var averaged = new QuadraticFederation(new Pcl((float)alpha, false, 0), Clients, Work(5, 0.3), [0, 0]);
        for (int round = 1; round <= 12; round++)
        {
            corrected.Run(round);
            averaged.Run(round);
        }
        for (int i = 0; i < 3; i++)
        {
            // With c at the bias, E[step] is ∇fᵢ: the fixed point is bᵢ. WGA's is α bᵢ + (1 − α) mean_{j≠i} bⱼ.
            Close(Targets[i], Stored(corrected, i, Pcl.ModelVector), 1e-3);
            var others = Mean([.. Targets.Where((_, j) => j != i)], [1, 1]);
            Close(Add(Scale(Targets[i], alpha), others, 1 - alpha), Stored(averaged, i, Pcl.ModelVector), 1e-3);
        }
    }

    [Fact]
    public void CollaboratorsMiniBatchesAreTheirOwnBatchesOfTheRound()
    {
        // Batches of 2 rows: at step s every client's gradient is the one of its rows 2s, 2s + 1 (wrapping).
        Quadratic[] clients = [Quadratic.Random(4, 2, 1, 0), Quadratic.Random(6, 2, 2, 1)];
        double[] start = [0.3, -0.2];
        const double lr = 0.1;
        using var fed = new QuadraticFederation(new Pcl(0.5f, false, 0), clients, Work(3, lr), start, batchSize: 2);
        fed.Run(1);
        for (int i = 0; i < 2; i++)
        {
            var x = start;
            for (int s = 0; s < 3; s++)
            {
                var own = clients[i].Gradient(x, 2 * s % clients[i].Rows, 2);
                var other = clients[1 - i].Gradient(x, 2 * s % clients[1 - i].Rows, 2);
                x = Add(x, Add(Scale(own, 0.5), other, 0.5), -lr);
            }
            var stored = new float[2];
            Assert.True(fed.States.TryRead(i, Pcl.ClientState[Pcl.ModelVector], stored));
            Close(x, stored);
        }
    }

    [Fact]
    public void OneAndTwoThreadsGiveTheSameModelsBitForBit()
    {
        Quadratic[] clients = [Quadratic.Random(4, 3, 1, 0), Quadratic.Random(6, 3, 2, 1), Quadratic.Random(5, 3, 3, -1), Quadratic.Random(7, 3, 4, 2)];
        float[][] Run(int threads)
        {
            using var fed = new QuadraticFederation(new Pcl(0.4f, true, 0.3f), clients, Work(4, 0.1), [0.5, -0.3, 0.2], threads: threads, batchSize: 3);
            for (int round = 1; round <= 3; round++)
            {
                fed.Run(round);
            }
            return [.. Enumerable.Range(0, clients.Length).SelectMany(i => new[] { Pcl.ModelVector, Pcl.CorrectionVector }.Select(v =>
            {
                var values = new float[3];
                Assert.True(fed.States.TryRead(i, Pcl.ClientState[v], values));
                return values;
            })), [.. fed.Server.Global.ToArray()]];
        }
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Length, two.Length);
        for (int k = 0; k < one.Length; k++)
        {
            Assert.Equal(one[k], two[k]);
        }
    }

    [Fact]
    public void ADeployedRunRefusesTheMethodNamingTheKey()
    {
        var config = TestExperiments.Config("model=logreg", "partition.clients=3", "clients_per_round=3", "rounds=1", "algorithm.name=pcl", "diagnostics.enabled=false");
        var data = TestExperiments.Partitioned(TestExperiments.MnistSubset(60, 30), config);
        var remote = new Stages.FixedCohort([], [20, 20, 20]);
        var e = Assert.Throws<ConfigException>(() => new FederatedRun(Experiment.From(config), data, cohortExecutor: remote).Dispose());
        Assert.Contains("algorithm.name pcl", e.Message);
        Assert.Contains("simulated only", e.Message);
    }
}
