using Cohort.Federated.Partitions;

namespace Cohort.Federated.Tests.Personal;

/// <summary>Multinomial logistic regression (softmax(W x + b), 10 classes) computed by hand: the reference the personalization methods' rounds are checked against.</summary>
internal static class LogisticByHand
{
    public const int Classes = 10;

    /// <summary>One SGD step on the mean cross-entropy of softmax(W x + b) over all of a client's samples.</summary>
    public static (float[] W, float[] B) SgdStep(FederatedData data, int client, float[] w, float[] b, float lr)
    {
        var indices = data.Partition.Train[client];
        int inputs = data.Train.SampleSize, n = indices.Length;
        var x = new float[n * inputs];
        var y = new int[n];
        data.Train.CopySamples(indices, x, y);
        var gw = new double[w.Length];
        var gb = new double[Classes];
        for (int s = 0; s < n; s++)
        {
            var logits = new double[Classes];
            for (int c = 0; c < Classes; c++)
            {
                double z = b[c];
                for (int i = 0; i < inputs; i++)
                {
                    z += w[c * inputs + i] * (double)x[s * inputs + i];
                }
                logits[c] = z;
            }
            double max = logits.Max(), sum = logits.Sum(z => Math.Exp(z - max));
            for (int c = 0; c < Classes; c++)
            {
                // ∂/∂z_c of the cross-entropy: softmax_c − [c = label], averaged over the batch.
                double d = (Math.Exp(logits[c] - max) / sum - (c == y[s] ? 1 : 0)) / n;
                gb[c] += d;
                for (int i = 0; i < inputs; i++)
                {
                    gw[c * inputs + i] += d * x[s * inputs + i];
                }
            }
        }
        return ([.. w.Select((v, i) => (float)(v - lr * gw[i]))], [.. b.Select((v, c) => (float)(v - lr * gb[c]))]);
    }

    /// <summary>The accuracy of softmax(W x + b) on a client's test split, by hand (argmax of the logits).</summary>
    public static double Accuracy(FederatedData data, int client, float[] w, float[] b)
    {
        var indices = data.Partition.Test[client];
        int inputs = data.Test.SampleSize, n = indices.Length;
        var x = new float[n * inputs];
        var y = new int[n];
        data.Test.CopySamples(indices, x, y);
        int right = 0;
        for (int s = 0; s < n; s++)
        {
            int best = 0;
            double max = double.NegativeInfinity;
            for (int c = 0; c < Classes; c++)
            {
                double z = b[c];
                for (int i = 0; i < inputs; i++)
                {
                    z += w[c * inputs + i] * (double)x[s * inputs + i];
                }
                if (z > max)
                {
                    (max, best) = (z, c);
                }
            }
            right += best == y[s] ? 1 : 0;
        }
        return (double)right / n;
    }

    /// <summary>The clients' sample-weighted mean of their vectors.</summary>
    public static float[] WeightedMean(FederatedData data, IReadOnlyList<float[]> vectors)
    {
        var sum = new double[vectors[0].Length];
        double total = 0;
        for (int k = 0; k < vectors.Count; k++)
        {
            int n = data.Partition.Train[k].Length;
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] += n * (double)vectors[k][i];
            }
            total += n;
        }
        return [.. sum.Select(v => (float)(v / total))];
    }
}
