using Cohort.Data;
using Cohort.Federated.Engine;
using Cohort.Federated.Partitions;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Evaluation;

/// <summary>
/// Membership inference by loss threshold (Yeom et al. 2018): an attacker who guesses "member" when a
/// sample's loss is below a threshold. Its success over all thresholds is the AUC of −loss as a
/// membership score, members being training samples of the clients and non-members as many test
/// samples: 0.5 is no better than a coin, 1 reads membership off the loss.
/// </summary>
internal static class MembershipInference
{
    public const string Metric = "membership_auc";

    /// <summary>
    /// P(a member's loss is below a non-member's) + ½ P(they are equal): the Mann–Whitney U statistic of
    /// the non-members' losses over the members', from midranks, divided by the pairs (NaN when a side is empty).
    /// </summary>
    public static double Auc(ReadOnlySpan<float> memberLosses, ReadOnlySpan<float> nonMemberLosses)
    {
        int m = memberLosses.Length, n = nonMemberLosses.Length;
        if (m == 0 || n == 0)
        {
            return double.NaN;
        }
        var all = new (float Loss, bool Member)[m + n];
        for (int i = 0; i < m; i++)
        {
            all[i] = (memberLosses[i], true);
        }
        for (int i = 0; i < n; i++)
        {
            all[m + i] = (nonMemberLosses[i], false);
        }
        Array.Sort(all, (a, b) => a.Loss.CompareTo(b.Loss));
        double nonMemberRanks = 0;
        for (int start = 0; start < all.Length;)
        {
            int end = start;
            while (end < all.Length && all[end].Loss.CompareTo(all[start].Loss) == 0)
            {
                end++;
            }
            // Tied losses share the mean of ranks start + 1 … end.
            double midrank = (start + 1 + end) / 2.0;
            for (int i = start; i < end; i++)
            {
                nonMemberRanks += all[i].Member ? 0 : midrank;
            }
            start = end;
        }
        return (nonMemberRanks - n * (n + 1.0) / 2) / ((double)m * n);
    }

    /// <summary>
    /// The attack on a model: up to <paramref name="samples"/> members drawn uniformly from the training
    /// clients' samples and as many test samples, from the (seed, membership) stream, scored by the workers.
    /// </summary>
    public static double Measure(IWorkerPool pool, FederatedData data, int trainingClients, int samples, ulong seed,
        ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> buffers)
    {
        int[] members = [.. data.Partition.Train.Take(trainingClients).SelectMany(t => t)];
        int count = Math.Min(samples, Math.Min(members.Length, data.Test.Count));
        var random = RandomStream.Create(seed, RandomStream.Purpose("membership"));
        var memberSample = Sample(members, count, ref random);
        var testSample = Sample([.. Enumerable.Range(0, data.Test.Count)], count, ref random);
        return Auc(Losses(pool, data.Train, memberSample, parameters, buffers), Losses(pool, data.Test, testSample, parameters, buffers));
    }

    /// <summary>The first <paramref name="count"/> of a partial Fisher–Yates shuffle.</summary>
    private static int[] Sample(int[] from, int count, ref RandomStream random)
    {
        for (int i = 0; i < count; i++)
        {
            int j = i + random.NextInt(from.Length - i);
            (from[i], from[j]) = (from[j], from[i]);
        }
        return from[..count];
    }

    private static float[] Losses(IWorkerPool pool, Dataset data, int[] indices, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> buffers)
    {
        var loss = new float[indices.Length];
        var correct = new bool[indices.Length];
        int chunks = (indices.Length + Worker.EvalBatch - 1) / Worker.EvalBatch;
        pool.ForEach(chunks, (worker, chunk) =>
        {
            int start = chunk * Worker.EvalBatch, size = Math.Min(Worker.EvalBatch, indices.Length - start);
            parameters.Span.CopyTo(worker.Model.Parameters);
            buffers.Span.CopyTo(worker.Model.Buffers);
            // The evaluator's next pass must load its own model again.
            worker.LoadedVersion = default;
            Evaluator.ScoreIndices(worker, data, indices.AsSpan(start, size), correct.AsSpan(start, size), loss.AsSpan(start, size));
        });
        return loss;
    }
}
