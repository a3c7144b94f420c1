using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Partitions;
using Cohort.Federated.Personal;
using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.Tensors;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.Federated.Tests.Personal;

/// <summary>FedBN: the batch-norm layers and their running statistics stay with each client, the rest is FedAvg; rounds computed by hand.</summary>
public class FedBnTests
{
    private const int Classes = 10, Pixels = 784;
    private const double Momentum = 0.1, Eps = 1e-5;

    [Fact]
    public void TwoRoundsMatchAHandComputationWithTheBatchNormKeptByEachClient()
    {
        // Two clients of 20 samples, one full-batch SGD step each per round, on batch norm (one channel) then
        // softmax regression: fc is federated, bn (weight, bias, running mean and variance) stays with each client.
        var config = TestExperiments.Config("algorithm.name=fedbn", "partition.clients=2", "clients_per_round=2", "rounds=2", "client.steps=1",
            "client.batch_size=64", "client.lr=0.5", "eval.clients=false", "diagnostics.enabled=false");
        var data = TestExperiments.Partitioned(TestExperiments.MnistSubset(40, 20), config);
        using var simulation = new FederatedRun(Experiment.From(config), data, createModel: CreateModel);
        var initial = simulation.Server.Global.ToArray();
        var initialBuffers = simulation.Server.Buffers.ToArray();
        Assert.Equal([1f, 0f], initial[..2]);
        Assert.Equal([0f, 1f], initialBuffers);

        var shared = initial[2..];
        var own = new[] { new Norm(1, 0, 0, 1), new Norm(1, 0, 0, 1) };
        for (int round = 0; round < 2; round++)
        {
            var trained = new float[2][];
            for (int k = 0; k < 2; k++)
            {
                (trained[k], own[k]) = SgdStep(data, k, shared, own[k], 0.5);
            }
            shared = LogisticByHand.WeightedMean(data, trained);
        }
        simulation.Run();

        var server = simulation.Server.Global;
        for (int i = 0; i < shared.Length; i++)
        {
            Assert.Equal(shared[i], server[i + 2], 1e-5f);
        }
        // The server's batch norm never moved: no client sent its own, weights or statistics.
        Assert.Equal(initial[..2], server[..2]);
        Assert.Equal(initialBuffers, simulation.Server.Buffers);
        for (int k = 0; k < 2; k++)
        {
            // Each client's running statistics are those of its own two training passes alone: 0.9·(0.1·μ) + 0.1·μ.
            var (mean, unbiased) = BatchStatistics(data, k, unbiased: true);
            Assert.Equal(0.19 * mean, own[k].Mean, 1e-7);
            Assert.Equal(0.81 + 0.19 * unbiased, own[k].Var, 1e-7);
            var stored = Stored(simulation, k);
            Assert.Equal(own[k].Weight, stored[0], 1e-5);
            Assert.Equal(own[k].Bias, stored[1], 1e-5);
            Assert.Equal(own[k].Mean, stored[2], 1e-5);
            Assert.Equal(own[k].Var, stored[3], 1e-5);
        }
        Assert.NotEqual(Stored(simulation, 0), Stored(simulation, 1));

        // Each client's personal model is scored with its own batch norm (evaluation mode: its running statistics).
        double personal = Enumerable.Range(0, 2).Average(k => Accuracy(data, k, shared, own[k]));
        Assert.Equal(personal, simulation.History[^1].Extra["personal_accuracy_mean"], 1e-12);
    }

    [Fact]
    public void OnAModelWithoutBatchNormFedBnIsFedAvgBitForBit()
    {
        var data = TestExperiments.MnistSubset(200, 100);
        (float[] Model, double? Loss) Run(string method)
        {
            var config = TestExperiments.Config("model=mlp", $"algorithm.name={method}", "partition.kind=dirichlet", "partition.clients=6", "clients_per_round=3",
                "rounds=3", "client.steps=4", "threads=2", "diagnostics.enabled=false");
            using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
            simulation.Run();
            return (simulation.Server.Global.ToArray(), simulation.History[^1].TrainLoss);
        }
        var fedavg = Run("fedavg");
        var fedbn = Run("fedbn");
        Assert.Equal(fedavg.Model, fedbn.Model);
        Assert.Equal(fedavg.Loss, fedbn.Loss);
    }

    [Fact]
    public void TheBatchNormSelectionTakesEveryLayerWithRunningStatistics()
    {
        var model = NN.Zoo.ModelZoo.Create("cnn-bn", 1);
        var kept = PersonalParameters.Of([PersonalParameters.BatchNorm], model, "algorithm.personal");
        string[] names = [.. model.NamedParameters.Select(t => t.Name!)];
        int Offset(string name) => model.NamedParameters.TakeWhile(t => t.Name != name).Sum(t => t.Size);
        Assert.Equal([(Offset("bn1.weight"), 32), (Offset("bn1.bias"), 32), (Offset("bn2.weight"), 64), (Offset("bn2.bias"), 64)], kept.Ranges);
        Assert.Equal([(0, 32), (32, 32), (64, 64), (128, 64)], kept.BufferRanges);
        Assert.Equal(2 * (32 + 32 + 64 + 64), kept.Length);
        Assert.Contains("conv1.weight", names);
        // A model without batch norm keeps nothing, and that is no error.
        Assert.Equal(0, PersonalParameters.Of([PersonalParameters.BatchNorm], NN.Zoo.ModelZoo.Create("mlp", 1), "algorithm.personal").Length);
    }

    private static float[] Stored(FederatedRun simulation, int client)
    {
        var values = new float[4];
        Assert.True(simulation.States.TryRead(client, PersonalParameters.ClientState[PersonalParameters.StateName], values));
        return values;
    }

    /// <summary>A client's batch norm: weight γ, bias β, running mean and variance.</summary>
    private readonly record struct Norm(double Weight, double Bias, double Mean, double Var);

    /// <summary>The mean and variance (biased, or unbiased as the running estimate takes it) of all the pixels of a client's training samples.</summary>
    private static (double Mean, double Var) BatchStatistics(FederatedData data, int client, bool unbiased)
    {
        var (x, _) = Samples(data.Train, data.Partition.Train[client]);
        double mean = x.Average(v => (double)v);
        double sq = x.Sum(v => (v - mean) * (v - mean));
        return (mean, sq / (unbiased ? x.Length - 1 : x.Length));
    }

    /// <summary>
    /// One full-batch SGD step of softmax(W·(γ·x̂ + β) + b), x̂ standardized by the batch's statistics; the gradients of γ and β
    /// are those of the normalized input (the statistics depend on the data alone), the running estimates move by the momentum.
    /// </summary>
    private static (float[] Shared, Norm Own) SgdStep(FederatedData data, int client, float[] shared, Norm norm, double lr)
    {
        var (x, y) = Samples(data.Train, data.Partition.Train[client]);
        int n = y.Length;
        var (mean, variance) = BatchStatistics(data, client, unbiased: false);
        var (_, unbiased) = BatchStatistics(data, client, unbiased: true);
        double r = 1 / Math.Sqrt(variance + Eps);
        var g = new double[shared.Length];
        double gWeight = 0, gBias = 0;
        for (int s = 0; s < n; s++)
        {
            var xhat = new double[Pixels];
            var h = new double[Pixels];
            for (int i = 0; i < Pixels; i++)
            {
                xhat[i] = (x[s * Pixels + i] - mean) * r;
                h[i] = norm.Weight * xhat[i] + norm.Bias;
            }
            var d = Softmax(shared, h);
            d[y[s]] -= 1;
            for (int c = 0; c < Classes; c++)
            {
                d[c] /= n;
                g[Classes * Pixels + c] += d[c];
                for (int i = 0; i < Pixels; i++)
                {
                    g[c * Pixels + i] += d[c] * h[i];
                    // ∂z_c/∂γ = Σ_i W_ci x̂_i, ∂z_c/∂β = Σ_i W_ci.
                    gWeight += d[c] * shared[c * Pixels + i] * xhat[i];
                    gBias += d[c] * shared[c * Pixels + i];
                }
            }
        }
        var next = shared.Select((v, i) => (float)(v - lr * g[i])).ToArray();
        var own = new Norm(norm.Weight - lr * gWeight, norm.Bias - lr * gBias,
            (1 - Momentum) * norm.Mean + Momentum * mean, (1 - Momentum) * norm.Var + Momentum * unbiased);
        return (next, own);
    }

    /// <summary>The accuracy on a client's test split of the model in evaluation mode: x̂ standardized by the running statistics.</summary>
    private static double Accuracy(FederatedData data, int client, float[] shared, Norm norm)
    {
        var (x, y) = Samples(data.Test, data.Partition.Test[client]);
        double r = 1 / Math.Sqrt(norm.Var + Eps);
        int right = 0;
        for (int s = 0; s < y.Length; s++)
        {
            var h = Enumerable.Range(0, Pixels).Select(i => norm.Weight * (x[s * Pixels + i] - norm.Mean) * r + norm.Bias).ToArray();
            var p = Softmax(shared, h);
            right += Array.IndexOf(p, p.Max()) == y[s] ? 1 : 0;
        }
        return (double)right / y.Length;
    }

    /// <summary>softmax(W h + b) of the flat [W, b] of softmax regression.</summary>
    private static double[] Softmax(float[] shared, double[] h)
    {
        var z = new double[Classes];
        for (int c = 0; c < Classes; c++)
        {
            z[c] = shared[Classes * Pixels + c];
            for (int i = 0; i < Pixels; i++)
            {
                z[c] += shared[c * Pixels + i] * h[i];
            }
        }
        double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
        return [.. z.Select(v => Math.Exp(v - max) / sum)];
    }

    private static (float[] X, int[] Y) Samples(Data.Dataset set, int[] indices)
    {
        var x = new float[indices.Length * Pixels];
        var y = new int[indices.Length];
        set.CopySamples(indices, x, y);
        return (x, y);
    }

    private static Model CreateModel()
    {
        var builder = new ParameterBuilder();
        return new Model("bn-logreg", new NormalizedLogReg(builder), builder, new Shape(1, 28, 28), seed: 3);
    }

    /// <summary>Batch norm over the image's one channel, then softmax regression: bn.weight, bn.bias, fc.weight, fc.bias.</summary>
    private sealed class NormalizedLogReg(ParameterBuilder b) : Module
    {
        private readonly BatchNorm2d _bn = new(b, "bn", 1);
        private readonly Linear _fc = new(b, "fc", Pixels, Classes);

        public override Tensor Forward(Tape tape, Tensor x) => _fc.Forward(tape, tape.Flatten(_bn.Forward(tape, x)));
    }
}
