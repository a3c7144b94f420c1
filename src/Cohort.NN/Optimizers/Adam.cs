namespace Cohort.NN.Optimizers;

/// <summary>
/// Adam as torch.optim.Adam (PyTorch 1.13): bias-corrected moments, ε added after the square
/// root, weight decay as an L2 term added to the gradient, optional AMSGrad.
/// </summary>
/// <param name="learningRate">α (torch default 1e-3).</param>
/// <param name="beta1">β1 (torch default 0.9).</param>
/// <param name="beta2">β2 (torch default 0.999).</param>
/// <param name="eps">ε (torch default 1e-8).</param>
/// <param name="weightDecay">λ, L2 penalty added to the gradient (torch default 0).</param>
/// <param name="amsgrad">Use the running maximum of the second moment (torch default false).</param>
public sealed class Adam(float learningRate = 1e-3f, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
    : AdamFamily(nameof(Adam), learningRate, beta1, beta2, eps, weightDecay, amsgrad)
{
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int step) =>
        Update(parameters, gradients, step, l2: WeightDecay, shrink: 1);
}
