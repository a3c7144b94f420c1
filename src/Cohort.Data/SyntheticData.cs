using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.Data;

/// <summary>
/// LEAF's Synthetic(α, β) (Li et al., FedProx, 2020): client k has model W_k ~ N(u_k, 1), b_k ~ N(u_k, 1)
/// with u_k ~ N(0, α), and inputs x ~ N(v_k, Σ) with v_k ~ N(B_k, 1), B_k ~ N(0, β), Σ = diag(j^−1.2);
/// y = argmax(W_k x + b_k). Client sizes are lognormal(4, 2) + 50; each client's samples are split 90/10
/// into train and test, as the reference generator does. With <c>iid</c>, all clients share one model
/// and v_k = B_k (Synthetic-IID).
/// </summary>
public static class SyntheticData
{
    public const int Dimension = 60;
    public const int Classes = 10;

    public static TrainTest Generate(double alpha, double beta, int clients = 30, ulong seed = 0, bool iid = false)
    {
        if (alpha < 0 || beta < 0 || clients < 1)
        {
            throw new ArgumentException($"Synthetic data needs α ≥ 0, β ≥ 0 and at least one client; got α={alpha}, β={beta}, clients={clients}.");
        }
        var random = RandomStream.Create(seed, RandomStream.Purpose("synthetic"));
        var sizes = new int[clients];
        for (int k = 0; k < clients; k++)
        {
            sizes[k] = (int)Math.Exp(4 + 2 * Normal(ref random)) + 50;
            sizes[k] = Math.Min(sizes[k], 20_000); // the lognormal tail would otherwise dominate memory
        }
        var sigma = new double[Dimension];
        for (int j = 0; j < Dimension; j++)
        {
            sigma[j] = Math.Sqrt(Math.Pow(j + 1, -1.2));
        }
        var globalW = new double[Dimension * Classes];
        var globalB = new double[Classes];
        FillNormal(ref random, globalW, 0, 1);
        FillNormal(ref random, globalB, 0, 1);

        var train = new Builder(Dimension);
        var test = new Builder(Dimension);
        var names = new string[clients];
        var w = new double[Dimension * Classes];
        var b = new double[Classes];
        var mean = new double[Dimension];
        var x = new float[Dimension];
        for (int k = 0; k < clients; k++)
        {
            names[k] = $"client{k}";
            var local = RandomStream.Create(seed, RandomStream.Purpose("synthetic-client"), k);
            double u = alpha * Normal(ref local);
            double bk = beta * Normal(ref local);
            for (int j = 0; j < Dimension; j++)
            {
                mean[j] = iid ? bk : bk + Normal(ref local);
            }
            if (iid)
            {
                globalW.CopyTo(w, 0);
                globalB.CopyTo(b, 0);
            }
            else
            {
                FillNormal(ref local, w, u, 1);
                FillNormal(ref local, b, u, 1);
            }
            int trainCount = (int)(0.9 * sizes[k]);
            for (int i = 0; i < sizes[k]; i++)
            {
                for (int j = 0; j < Dimension; j++)
                {
                    x[j] = (float)(mean[j] + sigma[j] * Normal(ref local));
                }
                int label = Classify(x, w, b);
                (i < trainCount ? train : test).Add(x, label, k);
            }
        }
        string name = iid ? "synthetic-iid" : $"synthetic({alpha},{beta})";
        return new TrainTest(train.Build(name, names), test.Build(name, names));
    }

    private static int Classify(float[] x, double[] w, double[] b)
    {
        int best = 0;
        double bestScore = double.NegativeInfinity;
        for (int c = 0; c < Classes; c++)
        {
            double score = b[c];
            for (int j = 0; j < Dimension; j++)
            {
                score += x[j] * w[j * Classes + c];
            }
            if (score > bestScore)
            {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    private static double Normal(ref RandomStream random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static void FillNormal(ref RandomStream random, double[] values, double mean, double std)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = mean + std * Normal(ref random);
        }
    }

    private sealed class Builder(int dimension)
    {
        private readonly List<float> _features = [];
        private readonly List<int> _labels = [];
        private readonly List<int> _clients = [];

        public void Add(float[] x, int label, int client)
        {
            _features.AddRange(x);
            _labels.Add(label);
            _clients.Add(client);
        }

        public Dataset Build(string name, string[] clientNames) =>
            new(name, [.. _features], new Shape(dimension), [.. _labels], Classes, [.. _clients], clientNames);
    }
}
