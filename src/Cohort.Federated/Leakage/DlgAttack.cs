using Cohort.Tensors.Random;

namespace Cohort.Federated.Leakage;

/// <summary>
/// Deep Leakage from Gradients (Zhu et al. 2019): dummy data and dummy label logits drawn from N(0, 1),
/// optimised by L-BFGS so that the gradient of the cross-entropy against softmax(logits) matches the observed
/// one in squared Euclidean distance. The labels are the argmax of the final logits.
/// </summary>
internal sealed class DlgAttack(int iterations, double hvpStep = GradientProbe.DefaultRelativeStep) : IGradientAttack
{
    public const int DefaultIterations = 100;

    public static LeakageAttackDeclaration Declaration { get; } = new("dlg", "DLG: dummy data and soft labels optimised by L-BFGS to match the gradient (squared distance)",
        s => new DlgAttack(s.Iterations ?? DefaultIterations, s.HvpStep));

    public Reconstruction Reconstruct(LeakageTarget target, ref RandomStream random) => Optimise(target, labels: null, iterations, hvpStep, ref random);

    /// <summary>L-BFGS on the dummy data, and on the dummy label logits unless <paramref name="labels"/> fixes them.</summary>
    public static Reconstruction Optimise(LeakageTarget target, int[]? labels, int iterations, double hvpStep, ref RandomStream random)
    {
        var probe = new GradientProbe(target.Model, target.Batch, hvpStep);
        var matching = new GradientMatching(probe, target.Gradient, GradientDistance.SquaredEuclidean);
        int nx = target.Batch * probe.SampleSize, classes = probe.Classes, nl = labels is null ? target.Batch * classes : 0;
        var z = new double[nx + nl];
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = random.NextNormal();
        }
        var x = new float[nx];
        var gx = new float[nx];
        var targets = labels is null ? new float[target.Batch * classes] : probe.OneHot(labels);
        var gt = new float[nl];
        double Objective(double[] point, double[] gradient)
        {
            for (int i = 0; i < nx; i++)
            {
                x[i] = (float)point[i];
            }
            if (labels is null)
            {
                Softmax(point.AsSpan(nx), targets, classes);
            }
            double value = matching.Evaluate(x, targets, gx, gt);
            for (int i = 0; i < nx; i++)
            {
                gradient[i] = gx[i];
            }
            // Through the softmax: ∂D/∂ℓ = t ⊙ (∂D/∂t − ⟨t, ∂D/∂t⟩) per row.
            for (int b = 0; b < nl / Math.Max(classes, 1); b++)
            {
                double inner = 0;
                for (int c = 0; c < classes; c++)
                {
                    inner += targets[b * classes + c] * gt[b * classes + c];
                }
                for (int c = 0; c < classes; c++)
                {
                    int k = b * classes + c;
                    gradient[nx + k] = targets[k] * (gt[k] - inner);
                }
            }
            return value;
        }
        new Lbfgs(memory: 100).Minimize(Objective, z, iterations);
        var images = z.Take(nx).Select(v => (float)v).ToArray();
        return new Reconstruction(images, labels ?? ArgMax(z.AsSpan(nx), classes));
    }

    private static void Softmax(ReadOnlySpan<double> logits, Span<float> probabilities, int classes)
    {
        for (int b = 0; b < logits.Length / classes; b++)
        {
            var row = logits.Slice(b * classes, classes);
            double max = double.NegativeInfinity, sum = 0;
            foreach (double v in row)
            {
                max = Math.Max(max, v);
            }
            foreach (double v in row)
            {
                sum += Math.Exp(v - max);
            }
            for (int c = 0; c < classes; c++)
            {
                probabilities[b * classes + c] = (float)(Math.Exp(row[c] - max) / sum);
            }
        }
    }

    private static int[] ArgMax(ReadOnlySpan<double> logits, int classes)
    {
        var labels = new int[logits.Length / classes];
        for (int b = 0; b < labels.Length; b++)
        {
            var row = logits.Slice(b * classes, classes);
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[labels[b]])
                {
                    labels[b] = c;
                }
            }
        }
        return labels;
    }
}
