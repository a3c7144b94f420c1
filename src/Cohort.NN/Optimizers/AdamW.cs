namespace Cohort.NN.Optimizers;

/// <summary>
/// AdamW as torch.optim.AdamW (PyTorch 1.13): Adam with decoupled weight decay, θ ← θ(1 − αλ)
/// before the moment update.
/// </summary>
/// <param name="learningRate">α (torch default 1e-3).</param>
/// <param name="beta1">β1 (torch default 0.9).</param>
/// <param name="beta2">β2 (torch default 0.999).</param>
/// <param name="eps">ε (torch default 1e-8).</param>
/// <param name="weightDecay">λ, decoupled (torch default 1e-2).</param>
/// <param name="amsgrad">Use the running maximum of the second moment (torch default false).</param>
public sealed class AdamW(float learningRate = 1e-3f, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
    : AdamFamily(nameof(AdamW), learningRate, beta1, beta2, eps, weightDecay, amsgrad)
{
    // torch forms 1 − lr·wd in double from the group's lr.
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int step) =>
        Update(parameters, gradients, step, l2: 0, shrink: 1 - (double)LearningRate * WeightDecay);
}
