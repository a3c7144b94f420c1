using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Privacy;
using Cohort.Federated.Stages;
using Cohort.Privacy;

namespace Cohort.Federated.Tests.Privacy;

/// <summary>Private runs end to end: the sampler the accountant is given, the epsilon metric, the stop at the target, the summary's statements, and local DP.</summary>
public class PrivacyRunTests
{
    private static readonly string[] Small =
        ["model=logreg", "partition.clients=10", "rounds=3", "client.steps=2", "client.batch_size=10", "eval.clients=false", "diagnostics.enabled=false", "threads=1", "seed=3"];

    private static (RunSummary Summary, List<RoundMetrics> Rounds) Run(params string[] keys)
    {
        var config = TestExperiments.Config([.. Small, .. keys]);
        var collected = new Collector();
        using var run = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(TestExperiments.MnistSubset(300, 100), config), [collected]);
        return (run.Run(), collected.Rounds);
    }

    private static string Statement(RunSummary summary, string key) => summary.Statements.Single(s => s.Key == key).Value;

    [Fact]
    public void CentralDpRefusesASamplerItsAccountantDoesNotAnalyse()
    {
        var e = Assert.Throws<ConfigException>(() => Run("privacy.mechanism=central", "aggregation.weighting=uniform"));
        Assert.Contains("sampling", e.Message);
        Assert.Contains("poisson", e.Message);
        Assert.Contains("fixed", e.Message);
        var weighting = Assert.Throws<ConfigException>(() => Run("privacy.mechanism=central", "sampling=poisson"));
        Assert.Contains("aggregation.weighting", weighting.Message);
    }

    [Fact]
    public void TheEpsilonMetricIsTheAccountantsForTheSamplersRate()
    {
        var (summary, rounds) = Run("privacy.mechanism=central", "sampling=poisson", "clients_per_round=0.3", "aggregation.weighting=uniform", "privacy.noise_multiplier=0.8", "privacy.clip=0.5");
        Assert.Equal(3, rounds.Count);
        for (int t = 1; t <= 3; t++)
        {
            double expected = new Accountant().Epsilon(new SampledGaussian(0.3, 0.8, t), 1e-5).Epsilon;
            Assert.Equal(expected, rounds[t - 1].Extra["epsilon"]);
            Assert.Equal(0.5, rounds[t - 1].Extra["clip"]);
            Assert.InRange(rounds[t - 1].Extra[ClippingMeter.Metric], 0, 1);
        }
        Assert.Contains("add or remove one client", Statement(summary, "privacy_neighbours"));
        Assert.Contains("qN = 3", Statement(summary, "privacy_denominator"));
        Assert.Equal("improved", Statement(summary, "privacy_conversion"));
        Assert.Equal("rdp", Statement(summary, "privacy_accountant"));
        Assert.Equal("3", Statement(summary, "privacy_steps"));
    }

    [Fact]
    public void TheBudgetsEpsilonIsTheCommandsForTheSameMechanism()
    {
        // docs/privacy.md: 'cohort privacy epsilon --q 0.01 --sigma 0.7 --steps 120 --delta 1e-5' prints 3.239267649500826.
        var budget = new PrivacyBudget(new Accountant(), 0.01, 0.7, 1e-5, null);
        Assert.Equal(3.239267649500826, budget.Epsilon(120), 1e-12);
    }

    [Fact]
    public void ARunWithATargetEpsilonStopsBeforeTheRoundThatWouldPassItAndSaysSo()
    {
        double second = new Accountant().Epsilon(new SampledGaussian(0.3, 0.8, 2), 1e-5).Epsilon;
        double third = new Accountant().Epsilon(new SampledGaussian(0.3, 0.8, 3), 1e-5).Epsilon;
        double target = (second + third) / 2;
        var (summary, rounds) = Run("privacy.mechanism=central", "sampling=poisson", "clients_per_round=0.3", "aggregation.weighting=uniform", "privacy.noise_multiplier=0.8",
            $"privacy.target_epsilon={target.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        Assert.Equal(2, summary.RoundsRun);
        Assert.Equal(2, rounds.Count);
        Assert.True(rounds[^1].Extra["epsilon"] <= target);
        Assert.Contains("stopped before round 3", Statement(summary, "stopped"));
        Assert.Contains("privacy.target_epsilon", Statement(summary, "stopped"));
    }

    [Fact]
    public void PoissonSamplingTakesEachClientIndependentlyWithItsRate()
    {
        var sampler = CohortSampler.Poisson(10, 0.3, 11);
        var counts = new int[10];
        var sizes = new HashSet<int>();
        const int rounds = 4000;
        for (int r = 1; r <= rounds; r++)
        {
            var cohort = sampler.Draw(r);
            sizes.Add(cohort.Length);
            foreach (int k in cohort)
            {
                counts[k]++;
            }
        }
        // Each client's share: 0.3 ± 5 standard errors (√(0.3·0.7/4000) ≈ 0.0072).
        Assert.All(counts, c => Assert.InRange((double)c / rounds, 0.264, 0.336));
        // The cohort's size varies, an empty one included (0.7¹⁰ ≈ 2.8% of rounds).
        Assert.Contains(0, sizes);
        Assert.True(sizes.Count > 5);
        Assert.Equal(3.0, sampler.ExpectedSize, 1e-12);
    }

    [Fact]
    public void LocalDpNoisesEachUpdateWithStandardDeviationZC()
    {
        const int length = 200_000;
        var stage = new LocalDpStage(new PrivacyBudget(new Accountant(), 1, 0.75, 1e-5, null), 2, 10, new ClippingMeter());
        var update = new float[length];
        update[0] = 100;
        stage.OnClient(new StageContext(1, 4, 9), update);
        // Clipped to norm 2 (all of it in the first coordinate), then N(0, (1.5·2)²) on every coordinate.
        double mean = update.Skip(1).Average(v => (double)v);
        double std = Math.Sqrt(update.Skip(1).Sum(v => (v - mean) * (v - mean)) / (length - 2));
        Assert.Equal(3.0, std, 0.03);
        Assert.Equal(0, mean, 0.04);
    }

    [Fact]
    public void LocalDpReportsEachClientsEpsilonOverItsReleases()
    {
        var (summary, rounds) = Run("privacy.mechanism=local", "clients_per_round=1", "privacy.noise_multiplier=4", "privacy.clip=0.5", "rounds=2");
        // Every client took part in both rounds: two releases of a Gaussian with multiplier z/2 = 2.
        double expected = new Accountant().Epsilon(new SampledGaussian(1, 2, 2), 1e-5).Epsilon;
        Assert.Equal(expected, rounds[^1].Extra["epsilon"]);
        Assert.Equal("10", Statement(summary, "privacy_clients_released"));
        Assert.Contains("replace-one-client", Statement(summary, "privacy_neighbours"));
    }

    [Fact]
    public void DpSgdsEpsilonIsEachClientsOverItsPoissonSampledSteps()
    {
        // 300 examples over 10 IID clients, 30 each: q = 10/30 at every local step; 2 steps a round, every client in both rounds.
        var (summary, rounds) = Run("privacy.mechanism=dp-sgd", "clients_per_round=1", "privacy.noise_multiplier=1.1", "privacy.clip=1", "rounds=2");
        double expected = new Accountant().Epsilon(new SampledGaussian(10.0 / 30, 1.1, 4), 1e-5).Epsilon;
        Assert.Equal(expected, rounds[^1].Extra["epsilon"]);
        Assert.Contains("one example", Statement(summary, "privacy_neighbours"));
        Assert.Equal("4", Statement(summary, "privacy_steps"));
    }

    [Fact]
    public void DpSgdsClippedFractionIsTheShareOfExampleGradientsClipped()
    {
        // A clip far below any example's gradient norm clips all of them; one far above clips none.
        Assert.All(Run("privacy.mechanism=dp-sgd", "clients_per_round=1", "privacy.clip=1e-6").Rounds, r => Assert.Equal(1.0, r.Extra["clipped_fraction"]));
        Assert.All(Run("privacy.mechanism=dp-sgd", "clients_per_round=1", "privacy.clip=1e6").Rounds, r => Assert.Equal(0.0, r.Extra["clipped_fraction"]));
        // Between them a share of the examples, counted alike whatever the thread count.
        var one = Run("privacy.mechanism=dp-sgd", "clients_per_round=1", "privacy.clip=8").Rounds;
        var two = Run("privacy.mechanism=dp-sgd", "clients_per_round=1", "privacy.clip=8", "threads=2").Rounds;
        Assert.InRange(one[0].Extra["clipped_fraction"], 0.01, 0.99);
        Assert.Equal(one.Select(r => r.Extra["clipped_fraction"]), two.Select(r => r.Extra["clipped_fraction"]));
    }

    [Fact]
    public void DpSgdRefusesWhatItsAccountingCannotFollow()
    {
        Assert.Contains("client.adversarial", Assert.Throws<ConfigException>(() => Experiment.From(TestExperiments.Config("privacy.mechanism=dp-sgd", "diagnostics.enabled=false", "client.adversarial=fgsm"))).Message);
        Assert.Contains("client.tau.distribution", Assert.Throws<ConfigException>(() => Experiment.From(TestExperiments.Config("privacy.mechanism=dp-sgd", "diagnostics.enabled=false", "client.tau.distribution=uniform"))).Message);
        Assert.Contains("mode local", Assert.Throws<ConfigException>(() => Experiment.From(TestExperiments.Config("privacy.mechanism=dp-sgd", "diagnostics.enabled=false", "mode=local"))).Message);
    }

    [Fact]
    public void CentralizedDpSgdAccountsEveryPoissonStepOverThePooledData()
    {
        // 300 pooled examples, B = 10: q = 10/300 at every step; 2 steps a round, 3 rounds.
        var (summary, rounds) = Run("mode=centralized", "privacy.mechanism=dp-sgd", "privacy.noise_multiplier=1.1", "privacy.clip=1");
        Assert.Equal(3, rounds.Count);
        for (int t = 1; t <= 3; t++)
        {
            Assert.Equal(new Accountant().Epsilon(new SampledGaussian(10.0 / 300, 1.1, 2 * t), 1e-5).Epsilon, rounds[t - 1].Extra["epsilon"]);
            Assert.InRange(rounds[t - 1].Extra[ClippingMeter.Metric], 0, 1);
        }
        Assert.Equal("add or remove one example of the pooled data", Statement(summary, "privacy_neighbours"));
        Assert.Contains("N = 300", Statement(summary, "privacy_sampler"));
        Assert.Contains("qN = 10", Statement(summary, "privacy_denominator"));
        Assert.Equal("6", Statement(summary, "privacy_steps"));
        Assert.Equal("improved", Statement(summary, "privacy_conversion"));
    }

    [Fact]
    public void CentralizedDpSgdStopsBeforeTheRoundThatWouldPassTheTarget()
    {
        // ε after 2 steps is below 2, after 4 above it (σ = 0.8, q = 1/30): the run stops before round 2.
        double two = new Accountant().Epsilon(new SampledGaussian(10.0 / 300, 0.8, 2), 1e-5).Epsilon;
        double four = new Accountant().Epsilon(new SampledGaussian(10.0 / 300, 0.8, 4), 1e-5).Epsilon;
        double target = (two + four) / 2;
        var (summary, rounds) = Run("mode=centralized", "privacy.mechanism=dp-sgd", "privacy.noise_multiplier=0.8", "privacy.clip=1",
            "privacy.target_epsilon=" + target.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(rounds);
        Assert.Contains("before round 2", Statement(summary, "stopped"));
    }

    [Fact]
    public void CentralizedDpSgdClipsAndNoisesItsSteps()
    {
        // The same centralized run without DP-SGD, with DP-SGD and no noise (clipped only), and with noise, each lands elsewhere.
        double plain = Run("mode=centralized").Rounds[^1].TestLoss;
        var clipped = Run("mode=centralized", "privacy.mechanism=dp-sgd", "privacy.noise_multiplier=0", "privacy.clip=1e-3").Rounds;
        double noised = Run("mode=centralized", "privacy.mechanism=dp-sgd", "privacy.noise_multiplier=5", "privacy.clip=1e-3").Rounds[^1].TestLoss;
        Assert.All(clipped, r => Assert.Equal(1.0, r.Extra[ClippingMeter.Metric]));
        Assert.NotEqual(plain, clipped[^1].TestLoss);
        Assert.NotEqual(clipped[^1].TestLoss, noised);
    }

    [Fact]
    public void APrivateRunRefusesDiagnosticsThatPublishRawUpdateStatistics()
    {
        var e = Assert.Throws<ConfigException>(() => Experiment.From(TestExperiments.Config("privacy.mechanism=local")));
        Assert.Contains("diagnostics.enabled", e.Message);
    }

    private sealed class Collector : IRunCallback
    {
        public List<RoundMetrics> Rounds { get; } = [];

        public void OnRound(RoundMetrics metrics) => Rounds.Add(metrics);
    }
}
