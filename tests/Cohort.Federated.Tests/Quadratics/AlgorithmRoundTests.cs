using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using static Cohort.Federated.Tests.Quadratics.Reference;

namespace Cohort.Federated.Tests.Quadratics;

/// <summary>Each method's rounds on quadratic clients against the same rounds computed by hand (full-batch gradients, in double).</summary>
public class AlgorithmRoundTests
{
    private const double Lr = 0.1;
    private const int K = 3;
    private static readonly Quadratic[] Clients = [Quadratic.Random(4, 3, 1, 0), Quadratic.Random(6, 3, 2, 1), Quadratic.Random(5, 3, 3, -1)];
    private static readonly double[] Start = [0.5, -0.3, 0.2];
    private static readonly int[][] Cohorts = [[0, 1], [1, 2]];

    private static LocalWork Work(int steps = K) => new(null, steps, 1000, (float)Lr, "sgd", 0, 0);

    private static double[] Weights(bool uniform) => Clients.Select(c => uniform ? 1.0 : c.Rows).ToArray();

    [Fact]
    public void FedAvgAveragesLocalGradientDescentBySamples()
    {
        using var fed = new QuadraticFederation(new FedAvg(), Clients, Work(), Start, uniform: false);
        fed.Run(1);
        var ys = Clients.Select(c => Descend(c, Start, K, Lr)).ToArray();
        Close(Mean(ys, Weights(false)), fed.Server.Global);
    }

    [Fact]
    public void FedProxAddsTheProximalPull()
    {
        const double mu = 0.5;
        using var fed = new QuadraticFederation(new FedProx((float)mu), Clients, Work(), Start);
        var x = Start;
        for (int round = 1; round <= 2; round++)
        {
            fed.Run(round);
            var anchor = x;
            var ys = Clients.Select(c => Descend(c, anchor, K, Lr, y => Scale(Add(y, anchor, -1), mu))).ToArray();
            x = Mean(ys, Weights(true));
            if (round == 1)
            {
                // The pull is real: FedAvg's first round lands elsewhere.
                Assert.True(Distance(x, Mean(Clients.Select(c => Descend(c, Start, K, Lr)).ToArray(), Weights(true))) > 1e-3);
            }
        }
        Close(x, fed.Server.Global);
    }

    [Theory]
    [InlineData(false, 1.0)]
    [InlineData(true, 1.0)]
    [InlineData(false, 0.5)]
    public void ScaffoldCorrectsWithControlVariatesUnderPartialParticipation(bool optionOne, double serverLr)
    {
        using var fed = new QuadraticFederation(new Scaffold(optionOne, (float)serverLr), Clients, Work(), Start);
        var x = Start;
        var c = Zero(3);
        var ci = Clients.Select(_ => Zero(3)).ToArray();
        for (int round = 1; round <= 2; round++)
        {
            var cohort = Cohorts[round - 1];
            fed.Run(round, cohort);
            var dy = new List<double[]>();
            var dc = new List<double[]>();
            foreach (int i in cohort)
            {
                var (anchor, ci0, c0) = (x, ci[i], c);
                var y = Descend(Clients[i], anchor, K, Lr, _ => Add(c0, ci0, -1));
                var delta = Add(y, anchor, -1);
                var next = optionOne ? Clients[i].Gradient(anchor) : Add(Add(ci0, c0, -1), delta, -1 / (K * Lr));
                dy.Add(delta);
                dc.Add(Add(next, ci0, -1));
                ci[i] = next;
            }
            x = Add(x, Mean(dy, [1, 1]), serverLr);
            c = Add(c, Mean(dc, [1, 1]), 2.0 / 3);
        }
        Close(x, fed.Server.Global);
        Close(c, fed.Server.Vector(Scaffold.ServerControl));
        var stored = new float[3];
        Assert.True(fed.States.TryRead(1, Scaffold.ClientState[Scaffold.ClientControl], stored));
        Close(ci[1], stored);
        Assert.False(fed.States.TryRead(1, FedDyn.ClientState[FedDyn.ClientGradient], stored));
    }

    [Fact]
    public void FedAvgMKeepsServerMomentum()
    {
        const double eta = 0.7, beta = 0.9;
        using var fed = new QuadraticFederation(new FedAvgM((float)eta, (float)beta), Clients, Work(), Start);
        var x = Start;
        var v = Zero(3);
        for (int round = 1; round <= 3; round++)
        {
            fed.Run(round);
            var anchor = x;
            var mean = Mean(Clients.Select(c => Add(Descend(c, anchor, K, Lr), anchor, -1)).ToArray(), Weights(true));
            v = Add(Scale(v, beta), mean);
            x = Add(x, v, eta);
        }
        Close(x, fed.Server.Global);
    }

    [Theory]
    [InlineData(FedOpt.Rule.Adagrad)]
    [InlineData(FedOpt.Rule.Adam)]
    [InlineData(FedOpt.Rule.Yogi)]
    public void FedOptFollowsReddiWithoutBiasCorrection(FedOpt.Rule rule)
    {
        const double eta = 0.05, beta1 = 0.9, beta2 = 0.99, tau = 0.01;
        using var fed = new QuadraticFederation(new FedOpt(rule, (float)eta, (float)beta1, (float)beta2, (float)tau), Clients, Work(), Start);
        var x = Start;
        var m = Zero(3);
        var v = Enumerable.Repeat(tau * tau, 3).ToArray();
        for (int round = 1; round <= 3; round++)
        {
            fed.Run(round);
            var anchor = x;
            var mean = Mean(Clients.Select(c => Add(Descend(c, anchor, K, Lr), anchor, -1)).ToArray(), Weights(true));
            for (int j = 0; j < 3; j++)
            {
                m[j] = beta1 * m[j] + (1 - beta1) * mean[j];
                double d2 = mean[j] * mean[j];
                v[j] = rule switch
                {
                    FedOpt.Rule.Adagrad => v[j] + d2,
                    FedOpt.Rule.Adam => beta2 * v[j] + (1 - beta2) * d2,
                    _ => v[j] - (1 - beta2) * d2 * Math.Sign(v[j] - d2),
                };
            }
            x = x.Select((xj, j) => xj + eta * m[j] / (Math.Sqrt(v[j]) + tau)).ToArray();
        }
        Close(x, fed.Server.Global, 1e-4);
        Close(v, fed.Server.Vector(FedOpt.SecondMoment), 1e-4);
    }

    [Fact]
    public void MimeLiteStepsWithFrozenServerMomentumAndSendsTheGradientAtX()
    {
        const double beta = 0.6;
        using var fed = new QuadraticFederation(new MimeLite((float)beta), Clients, Work(), Start, uniform: false);
        var x = Start;
        var m = Zero(3);
        for (int round = 1; round <= 2; round++)
        {
            var outcome = fed.Run(round);
            var (anchor, m0) = (x, m);
            // FedJAX's mime_lite with sgd(η, β): y ← y − η(∇fᵢ(y) + βm); m ← mean ∇f(x) + βm.
            var ys = Clients.Select(c => Descend(c, anchor, K, Lr, _ => Scale(m0, beta))).ToArray();
            var g = Mean(Clients.Select(c => c.Gradient(anchor)).ToArray(), Weights(false));
            x = Mean(ys, Weights(false));
            m = Add(g, m, beta);
            // The update and the gradient: two model-sized messages per client; the model and m down.
            Assert.Equal(3 * 2 * 4 * 3, outcome.BytesUp);
            Assert.Equal(3 * 2 * 4 * 3, outcome.BytesDown);
        }
        Close(x, fed.Server.Global);
        Close(m, fed.Server.Vector(MimeLite.Momentum));
    }

    [Fact]
    public void MimeLiteMatchesFedJaxOnTwoScalarRoundsWrittenOut()
    {
        // f₀(y) = ½(y − 1)², f₁(y) = ½(y − 3)²; x = 0, η = 0.1, β = 0.5, two full-batch steps a round.
        // FedJAX mime_lite with sgd(η, momentum β): y ← y − η(∇fᵢ(y) + βm), m ← mean ∇fᵢ(x) + βm.
        // Round 1 (m = 0): client 0: 0 → 0.1 → 0.19; client 1: 0 → 0.3 → 0.57; x = 0.38;
        //   m = mean(−1, −3) = −2.
        // Round 2 (βm = −1): client 0: 0.38 → 0.38 + 0.1·1.62 = 0.542 → 0.542 + 0.1·1.458 = 0.6878;
        //   client 1: 0.38 → 0.38 + 0.1·3.62 = 0.742 → 0.742 + 0.1·3.258 = 1.0678; x = 0.8778;
        //   m = mean(−0.62, −2.62) + 0.5·(−2) = −2.62.
        Quadratic[] clients = [new(new double[,] { { 1 } }, [1.0]), new(new double[,] { { 1 } }, [3.0])];
        using var fed = new QuadraticFederation(new MimeLite(0.5f), clients, Work(2), [0.0]);
        fed.Run(1);
        Close([0.38], fed.Server.Global);
        Close([-2.0], fed.Server.Vector(MimeLite.Momentum));
        fed.Run(2);
        Close([0.8778], fed.Server.Global);
        Close([-2.62], fed.Server.Vector(MimeLite.Momentum));
    }

    [Fact]
    public void MimeCorrectsEachStepWithTheMeanGradientAtX()
    {
        const double beta = 0.6;
        using var fed = new QuadraticFederation(new Mime((float)beta), Clients, Work(), Start, threads: 2);
        var x = Start;
        var m = Zero(3);
        for (int round = 1; round <= 2; round++)
        {
            var outcome = fed.Run(round);
            var (anchor, m0) = (x, m);
            var c = Mean(Clients.Select(q => q.Gradient(anchor)).ToArray(), Weights(true));
            // FedJAX's mime with sgd(η, β): ∇fᵢ(y) − ∇fᵢ(x) + c + βm, written as ∇fᵢ(y) + correction; m ← c + βm.
            var ys = Clients.Select(q => Descend(q, anchor, K, Lr, _ => Add(Add(c, q.Gradient(anchor), -1), m0, beta))).ToArray();
            x = Mean(ys, Weights(true));
            m = Add(c, m, beta);
            Assert.Equal(3 * 2 * 4 * 3, outcome.BytesUp);
            Assert.Equal(3 * 3 * 4 * 3, outcome.BytesDown);
        }
        Close(x, fed.Server.Global);
        Close(m, fed.Server.Vector(MimeLite.Momentum));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void FedNovaNormalisesUnequalStepCounts(double momentum)
    {
        // One epoch of one-row batches: τᵢ = 4, 6 and 5 steps.
        var work = new LocalWork(1, null, 1, (float)Lr, "sgd", (float)momentum, 0);
        using var fed = new QuadraticFederation(new FedNova(1f), Clients, work, Start, uniform: false, batchSize: 1);
        var outcome = fed.Run(1);
        var normalized = new List<double[]>();
        var a = new List<double>();
        foreach (var c in Clients)
        {
            var y = (double[])Start.Clone();
            var b = Zero(3);
            for (int r = 0; r < c.Rows; r++)
            {
                var g = c.Gradient(y, r, 1);
                b = r == 0 ? g : Add(Scale(b, momentum), g);
                y = Add(y, b, -Lr);
            }
            double ai = Enumerable.Range(1, c.Rows).Sum(k => (1 - Math.Pow(momentum, k)) / (1 - momentum));
            Assert.Equal(ai, FedNova.EffectiveSteps(c.Rows, momentum), 1e-9);
            normalized.Add(Scale(Add(y, Start, -1), 1 / ai));
            a.Add(ai);
        }
        var w = Weights(false);
        double tauEff = a.Select((ai, i) => w[i] * ai).Sum() / w.Sum();
        Close(Add(Start, Mean(normalized, w), tauEff), fed.Server.Global);
        Assert.Equal(3 * (4 * 3 + 4), outcome.BytesUp);
    }

    [Fact]
    public void FedDynKeepsClientGradientsAndTheServerCorrection()
    {
        const double alpha = 0.3;
        using var fed = new QuadraticFederation(new FedDyn((float)alpha), Clients, Work(), Start);
        var x = Start;
        var h = Zero(3);
        var g = Clients.Select(_ => Zero(3)).ToArray();
        for (int round = 1; round <= 2; round++)
        {
            var cohort = Cohorts[round - 1];
            fed.Run(round, cohort);
            var deltas = new List<double[]>();
            foreach (int i in cohort)
            {
                var (anchor, gi) = (x, g[i]);
                var y = Descend(Clients[i], anchor, K, Lr, y => Add(Scale(gi, -1), Add(y, anchor, -1), alpha));
                var delta = Add(y, anchor, -1);
                g[i] = Add(gi, delta, -alpha);
                deltas.Add(delta);
            }
            var mean = Mean(deltas, [1, 1]);
            h = Add(h, mean, -alpha * 2 / 3);
            x = Add(Add(x, mean), h, -1 / alpha);
        }
        Close(x, fed.Server.Global);
        Close(h, fed.Server.Vector(FedDyn.ServerCorrection));
        var stored = new float[3];
        Assert.True(fed.States.TryRead(1, FedDyn.ClientState[FedDyn.ClientGradient], stored));
        Close(g[1], stored);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.0)]
    public void QFflWeightsClientsByTheirLossToThePowerQ(double q)
    {
        using var fed = new QuadraticFederation(new QFfl((float)q), Clients, Work(), Start);
        fed.Run(1);
        double l = 1 / Lr;
        var scaled = new List<double[]>();
        var h = new List<double>();
        foreach (var c in Clients)
        {
            double f = c.Loss(Start);
            var delta = Scale(Add(Start, Descend(c, Start, K, Lr), -1), l);
            scaled.Add(Scale(delta, Math.Pow(f, q)));
            h.Add(q * Math.Pow(f, q - 1) * Norm2(delta) + l * Math.Pow(f, q));
        }
        var expected = Add(Start, Mean(scaled, Weights(true)), -1 / h.Average());
        Close(expected, fed.Server.Global);
        if (q == 0)
        {
            Close(Mean(Clients.Select(c => Descend(c, Start, K, Lr)).ToArray(), Weights(true)), fed.Server.Global);
        }
    }

    [Fact]
    public void DriftIsTheSpreadOfTheLocalModels()
    {
        using var fed = new QuadraticFederation(new FedAvg(), Clients, Work(), Start, uniform: false);
        var drift = fed.Run(1).Drift!;
        var w = Weights(false);
        var ys = Clients.Select(c => Descend(c, Start, K, Lr)).ToArray();
        var mean = Mean(ys, w);
        double expected = ys.Select((y, i) => w[i] * Norm2(Add(mean, y, -1))).Sum() / w.Sum();
        Assert.Equal(expected, drift.Drift, expected * 1e-4);
        double norms = ys.Select((y, i) => w[i] * Math.Sqrt(Norm2(Add(y, Start, -1)))).Sum() / w.Sum();
        Assert.Equal(norms, drift.UpdateNorm, 1e-5);
        Assert.Equal(Math.Sqrt(Norm2(Add(mean, Start, -1))), drift.AggregateNorm, 1e-5);
        Assert.True(expected > 1e-3);
    }
}
