using Cohort.Data;
using Cohort.NN.Modules;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Leakage;

/// <summary>One attacked image: the original, its reconstruction (clamped to [0, 1]) and the scores.</summary>
internal sealed record LeakedImage(float[] Original, float[] Reconstructed, int TrueLabel, int Label, double Psnr, double Ssim);

/// <summary>Every attacked image, and the fraction of true labels the attack recovered (as multisets per batch).</summary>
internal sealed record LeakageOutcome(IReadOnlyList<LeakedImage> Images, double LabelAccuracy)
{
    public double Psnr => Images.Average(i => i.Psnr);

    public double Ssim => Images.Average(i => i.Ssim);
}

/// <summary>
/// Attacks a client's batches (the images asked for, rounded up to whole batches): the gradient of the mean
/// cross-entropy of each batch (drawn from the data by the seed), the defence applied to it, the attack run on
/// what is left, each reconstruction paired with the original it is closest to (greedily, by squared error:
/// batch attacks recover an unordered set) and scored.
/// </summary>
internal static class LeakageExperiment
{
    public static LeakageOutcome Run(Model model, Dataset data, IGradientAttack attack, IGradientDefence defence, int batch, int images, ulong seed)
    {
        if (data.SampleShape != model.SampleShape)
        {
            throw new ArgumentException($"Data set '{data.Name}' has samples of shape {data.SampleShape}; model '{model.Name}' takes {model.SampleShape}.");
        }
        int batches = (images + batch - 1) / Math.Max(batch, 1);
        if (images < 1 || batch < 1 || (long)batches * batch > data.Count)
        {
            throw new ArgumentException($"Cannot attack {images} images in batches of {batch} from data set '{data.Name}' of {data.Count} samples.");
        }
        var pick = RandomStream.Create(seed, RandomStream.Purpose("leak.pick"));
        var order = Enumerable.Range(0, data.Count).ToArray();
        pick.Shuffle(order.AsSpan());
        var probe = new GradientProbe(model, batch);
        var scored = new List<LeakedImage>();
        int found = 0;
        for (int round = 0; round < batches; round++)
        {
            var indices = order.AsSpan(round * batch, batch);
            var x = new float[batch * data.SampleSize];
            var labels = new int[batch];
            data.CopySamples(indices, x, labels);
            var gradient = new float[model.ParameterCount];
            probe.Loss(x, probe.OneHot(labels), gradient, [], []);
            var noise = RandomStream.Create(seed, RandomStream.Purpose("leak.defence"), round);
            defence.Apply(gradient, ref noise);
            var random = RandomStream.Create(seed, RandomStream.Purpose("leak.attack"), round);
            var reconstruction = attack.Reconstruct(new LeakageTarget(model, gradient, batch), ref random);
            found += Overlap(labels, reconstruction.Labels);
            scored.AddRange(Score(data, x, labels, reconstruction));
        }
        return new LeakageOutcome(scored, (double)found / scored.Count);
    }

    /// <summary>How many of the true labels the inferred ones cover, as multisets.</summary>
    public static int Overlap(ReadOnlySpan<int> truth, ReadOnlySpan<int> inferred)
    {
        var left = inferred.ToArray().ToList();
        int found = 0;
        foreach (int label in truth)
        {
            if (left.Remove(label))
            {
                found++;
            }
        }
        return found;
    }

    private static IEnumerable<LeakedImage> Score(Dataset data, float[] originals, int[] labels, Reconstruction reconstruction)
    {
        int size = data.SampleSize, batch = labels.Length;
        var shape = data.SampleShape;
        var clamped = reconstruction.Images.Select(v => Math.Clamp(v, 0f, 1f)).ToArray();
        var pairs = new (int Original, int Reconstructed, double Error)[batch * batch];
        for (int o = 0; o < batch; o++)
        {
            for (int r = 0; r < batch; r++)
            {
                double error = 0;
                for (int i = 0; i < size; i++)
                {
                    double d = originals[o * size + i] - clamped[r * size + i];
                    error += d * d;
                }
                pairs[o * batch + r] = (o, r, error);
            }
        }
        var matched = new int[batch];
        var usedOriginal = new bool[batch];
        var usedReconstruction = new bool[batch];
        foreach (var (o, r, _) in pairs.OrderBy(p => p.Error).ThenBy(p => p.Original).ThenBy(p => p.Reconstructed))
        {
            if (!usedOriginal[o] && !usedReconstruction[r])
            {
                (usedOriginal[o], usedReconstruction[r], matched[o]) = (true, true, r);
            }
        }
        for (int o = 0; o < batch; o++)
        {
            var original = originals.AsSpan(o * size, size);
            var image = clamped.AsSpan(matched[o] * size, size);
            yield return new LeakedImage(original.ToArray(), image.ToArray(), labels[o], reconstruction.Labels[matched[o]],
                ImageQuality.Psnr(original, image), ImageQuality.Ssim(original, image, shape[0], shape[1], shape[2]));
        }
    }
}
