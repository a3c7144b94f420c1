using Cohort.NN.Optimizers;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Leakage;

/// <summary>
/// Inverting Gradients (Geiping et al. 2020): dummy data from N(0, 1) minimising the cosine distance
/// between its gradient and the observed one plus a total-variation prior, by Adam on the signed gradient
/// with the step size cut tenfold at 3/8, 5/8 and 7/8 of the iterations, the data boxed to [0, 1] after
/// every step (the reference code's defaults). Labels by iDLG's rule.
/// </summary>
internal sealed class InvertingAttack(int iterations, double learningRate, double totalVariation, double hvpStep = GradientProbe.DefaultRelativeStep) : IGradientAttack
{
    public const int DefaultIterations = 1000;
    public const double DefaultLearningRate = 0.1;
    public const double DefaultTotalVariation = 1e-2;

    /// <summary>Where the step size is cut, in eighths of the run.</summary>
    private static readonly int[] MilestoneEighths = [3, 5, 7];

    public static LeakageAttackDeclaration Declaration { get; } = new("inverting", "Inverting Gradients: cosine distance plus total variation, Adam on signed gradients, data boxed to [0, 1]",
        s => new InvertingAttack(s.Iterations ?? DefaultIterations, s.LearningRate ?? DefaultLearningRate, s.TotalVariation ?? DefaultTotalVariation, s.HvpStep));

    public Reconstruction Reconstruct(LeakageTarget target, ref RandomStream random)
    {
        var shape = target.Model.SampleShape;
        if (shape.Rank != 3)
        {
            throw new ArgumentException($"inverting: model '{target.Model.Name}' takes samples of shape {shape}, not images [channels, height, width]; its total-variation prior needs images.");
        }
        var labels = IdlgLabels.Infer(target);
        var probe = new GradientProbe(target.Model, target.Batch, hvpStep);
        var matching = new GradientMatching(probe, target.Gradient, GradientDistance.Cosine);
        var targets = probe.OneHot(labels);
        var x = new float[target.Batch * probe.SampleSize];
        random.FillNormal(x, 0, 1);
        var gradient = new float[x.Length];
        var adam = new Adam((float)learningRate);
        for (int it = 0; it < iterations; it++)
        {
            adam.LearningRate = (float)(learningRate * Math.Pow(0.1, Milestones(it)));
            matching.Evaluate(x, targets, gradient, []);
            TotalVariation.Add(x, target.Batch * shape[0], shape[1], shape[2], totalVariation, gradient);
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] = MathF.Sign(gradient[i]);
            }
            adam.Step(x, gradient);
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = Math.Clamp(x[i], 0f, 1f);
            }
        }
        return new Reconstruction(x, labels);
    }

    /// <summary>How many of the milestones 3/8, 5/8, 7/8 of the run iteration <paramref name="it"/> has passed.</summary>
    private int Milestones(int it) => MilestoneEighths.Count(m => it >= iterations * m / 8);
}
