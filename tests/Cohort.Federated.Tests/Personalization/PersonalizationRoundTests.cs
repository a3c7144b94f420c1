using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.State;
using Cohort.Federated.Tests.Quadratics;
using static Cohort.Federated.Tests.Quadratics.Reference;

namespace Cohort.Federated.Tests.Personalization;

/// <summary>
/// The personalization methods' rounds on quadratic clients against the same rounds computed by hand
/// from the papers' update rules (full-batch gradients, in double), and their defining invariants.
/// </summary>
public class PersonalizationRoundTests
{
    private const double Lr = 0.1;
    private const int K = 3;
    private static readonly Quadratic[] Clients = [Quadratic.Random(4, 3, 1, 0), Quadratic.Random(6, 3, 2, 1), Quadratic.Random(5, 3, 3, -1)];
    private static readonly double[] Start = [0.5, -0.3, 0.2];
    private static readonly double[] Uniform = [1, 1, 1];

    private static LocalWork Work(int steps = K) => new(null, steps, 1000, (float)Lr, "sgd", 0, 0);

    private static float[] Stored(QuadraticFederation fed, int client, ClientVector vector, int length = 3)
    {
        var values = new float[length];
        Assert.True(fed.States.TryRead(client, vector, values), $"client {client} keeps no {vector}");
        return values;
    }

    [Fact]
    public void DittoTrainsFedAvgAndPullsEachPersonalModelTowardTheBroadcast()
    {
        const double lambda = 0.5, personalLr = 0.2;
        using var fed = new QuadraticFederation(new Ditto((float)lambda, (float)personalLr, null), Clients, Work(), Start);
        var x = Start;
        var v = Clients.Select(_ => Start).ToArray();
        for (int round = 1; round <= 2; round++)
        {
            fed.Run(round);
            var anchor = x;
            x = Mean(Clients.Select(c => Descend(c, anchor, K, Lr)).ToArray(), Uniform);
            v = [.. v.Select((vi, i) => Descend(Clients[i], vi, K, personalLr, y => Scale(Add(y, anchor, -1), lambda)))];
        }
        Close(x, fed.Server.Global);
        for (int i = 0; i < Clients.Length; i++)
        {
            Close(v[i], Stored(fed, i, Ditto.ClientState[Ditto.PersonalVector]));
        }
    }

    [Fact]
    public void DittoWithoutPullIsLocalTraining()
    {
        const double personalLr = 0.2;
        using var fed = new QuadraticFederation(new Ditto(0, (float)personalLr, 2), Clients, Work(), Start);
        for (int round = 1; round <= 3; round++)
        {
            fed.Run(round);
        }
        // Three rounds of two personal steps each: six steps of gradient descent on the client's own data alone.
        for (int i = 0; i < Clients.Length; i++)
        {
            Close(Descend(Clients[i], Start, 6, personalLr), Stored(fed, i, Ditto.ClientState[Ditto.PersonalVector]));
        }
    }

    [Fact]
    public void ApflMixesALocalModelWithALearnedWeight()
    {
        const double alpha0 = 0.4, alphaLr = 0.3;
        var apfl = new Apfl((float)alpha0, (float)alphaLr);
        using var fed = new QuadraticFederation(apfl, Clients, Work(), Start);
        var x = Start;
        var v = Clients.Select(_ => Start).ToArray();
        var alpha = Clients.Select(_ => alpha0).ToArray();
        for (int round = 1; round <= 2; round++)
        {
            fed.Run(round);
            var locals = new double[Clients.Length][];
            for (int i = 0; i < Clients.Length; i++)
            {
                var w = x;
                for (int s = 0; s < K; s++)
                {
                    var mixed = Add(Scale(v[i], alpha[i]), Scale(w, 1 - alpha[i]));
                    var gMixed = Clients[i].Gradient(mixed);
                    double gAlpha = Add(v[i], w, -1).Select((d, j) => d * gMixed[j]).Sum();
                    w = Add(w, Clients[i].Gradient(w), -Lr);
                    v[i] = Add(v[i], gMixed, -Lr * alpha[i]);
                    alpha[i] = Math.Clamp(alpha[i] - alphaLr * gAlpha, 0, 1);
                }
                locals[i] = w;
            }
            x = Mean(locals, Uniform);
        }
        Close(x, fed.Server.Global);
        for (int i = 0; i < Clients.Length; i++)
        {
            Close(v[i], Stored(fed, i, Apfl.ClientState[Apfl.LocalVector]));
            Assert.Equal(alpha[i], Stored(fed, i, Apfl.ClientState[Apfl.AlphaVector], 1)[0], 1e-5);
            var personal = new float[3];
            apfl.PersonalModel.Compose(fed.States, i, fed.Server.Global, personal);
            Close(Add(Scale(v[i], alpha[i]), Scale(x, 1 - alpha[i])), personal);
        }
    }

    [Fact]
    public void ApflWithAlphaFixedAtZeroIsTheGlobalModel()
    {
        var apfl = new Apfl(0, 0);
        using var fed = new QuadraticFederation(apfl, Clients, Work(), Start);
        using var fedavg = new QuadraticFederation(new FedAvg(), Clients, Work(), Start);
        for (int round = 1; round <= 2; round++)
        {
            fed.Run(round);
            fedavg.Run(round);
        }
        Assert.Equal(fedavg.Server.Global, fed.Server.Global);
        for (int i = 0; i < Clients.Length; i++)
        {
            Assert.Equal(0f, Stored(fed, i, Apfl.ClientState[Apfl.AlphaVector], 1)[0]);
            var personal = new float[3];
            apfl.PersonalModel.Compose(fed.States, i, fed.Server.Global, personal);
            Assert.Equal(fed.Server.Global, personal);
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void PFedMeStepsLocalModelsTowardTheirProximalPoints(double beta)
    {
        const double lambda = 2, personalLr = 0.05;
        const int inner = 3;
        using var fed = new QuadraticFederation(new PFedMe((float)lambda, inner, (float)personalLr, (float)beta), Clients, Work(), Start);
        var x = Start;
        var theta = new double[Clients.Length][];
        for (int round = 1; round <= 2; round++)
        {
            fed.Run(round);
            var locals = new double[Clients.Length][];
            for (int i = 0; i < Clients.Length; i++)
            {
                var (w, t) = (x, x);
                for (int r = 0; r < K; r++)
                {
                    var anchor = w;
                    t = Descend(Clients[i], t, inner, personalLr, y => Scale(Add(y, anchor, -1), lambda));
                    w = Add(w, Add(w, t, -1), -Lr * lambda);
                }
                (locals[i], theta[i]) = (w, t);
            }
            var mean = Mean(locals, Uniform);
            // β = 1: the server's model is the clients' mean local model.
            x = beta == 1 ? mean : Add(Scale(x, 1 - beta), Scale(mean, beta));
        }
        Close(x, fed.Server.Global);
        for (int i = 0; i < Clients.Length; i++)
        {
            Close(theta[i], Stored(fed, i, PFedMe.ClientState[PFedMe.PersonalVector]));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PerFedAvgStepsOnTheAdaptedObjective(bool hessianFree)
    {
        const double alpha = 0.2;
        using var fed = new QuadraticFederation(new PerFedAvg((float)alpha, hessianFree, 0.1f), Clients, Work(), Start);
        var x = Start;
        for (int round = 1; round <= 2; round++)
        {
            fed.Run(round);
            var locals = new double[Clients.Length][];
            for (int i = 0; i < Clients.Length; i++)
            {
                var c = Clients[i];
                var w = x;
                for (int s = 0; s < K; s++)
                {
                    var outer = c.Gradient(Add(w, c.Gradient(w), -alpha));
                    if (hessianFree)
                    {
                        // ∇²f = AᵀA, so ∇²f·g = ∇f(g) − ∇f(0).
                        outer = Add(outer, Add(c.Gradient(outer), c.Gradient(Zero(3)), -1), -alpha);
                    }
                    w = Add(w, outer, -Lr);
                }
                locals[i] = w;
                // The personal model: the broadcast after one adaptation step.
                Close(Add(x, c.Gradient(x), -alpha), Stored(fed, i, PerFedAvg.ClientState[PerFedAvg.PersonalVector]));
            }
            x = Mean(locals, Uniform);
        }
        Close(x, fed.Server.Global, hessianFree ? 1e-4 : 1e-5);
    }

    [Fact]
    public void IfcaTrainsTheClusterOfLeastLossAndAveragesWithinClusters()
    {
        var ifca = new Ifca(2, 1f, 7);
        using var fed = new QuadraticFederation(ifca, Clients, Work(), Start);
        double[][] clusters = [Start, [.. fed.Server.Vector(Ifca.Model(1)).Select(v => (double)v)]];
        Assert.True(Distance(clusters[0], clusters[1]) > 0.1);
        var chosen = new int[Clients.Length];
        for (int round = 1; round <= 2; round++)
        {
            fed.Run(round);
            var received = clusters;
            chosen = [.. Clients.Select(c => c.Loss(received[0]) <= c.Loss(received[1]) ? 0 : 1)];
            var next = new double[2][];
            for (int j = 0; j < 2; j++)
            {
                var members = Enumerable.Range(0, Clients.Length).Where(i => chosen[i] == j).ToArray();
                next[j] = members.Length == 0 ? received[j]
                    : Mean([.. members.Select(i => Descend(Clients[i], received[j], K, Lr))], [.. members.Select(_ => 1.0)]);
            }
            for (int i = 0; i < Clients.Length; i++)
            {
                Close(received[chosen[i]], Stored(fed, i, Ifca.ClientState[Ifca.PersonalVector]));
            }
            clusters = next;
        }
        Close(clusters[0], fed.Server.Global);
        Close(clusters[1], fed.Server.Vector(Ifca.Model(1)));
    }

    [Fact]
    public void IfcaWithOneClusterIsFedAvgBitForBit()
    {
        using var ifca = new QuadraticFederation(new Ifca(1, 0.01f, 0), Clients, Work(), Start, uniform: false);
        using var fedavg = new QuadraticFederation(new FedAvg(), Clients, Work(), Start, uniform: false);
        for (int round = 1; round <= 3; round++)
        {
            int[] cohort = round == 2 ? [0, 2] : [];
            ifca.Run(round, cohort);
            fedavg.Run(round, cohort);
        }
        Assert.Equal(fedavg.Server.Global, ifca.Server.Global);
    }
}
