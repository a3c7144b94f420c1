namespace Cohort.NN.Optimizers;

/// <summary>
/// AdamW as torch.optim.AdamW (PyTorch 1.13): Adam with decoupled weight decay, θ ← θ(1 − αλ)
/// before the moment update. State: [exp_avg, exp_avg_sq] and, with AMSGrad, [max_exp_avg_sq].
/// </summary>
public sealed class AdamW : FlatOptimizer
{
    /// <param name="learningRate">α (torch default 1e-3).</param>
    /// <param name="beta1">β1 (torch default 0.9).</param>
    /// <param name="beta2">β2 (torch default 0.999).</param>
    /// <param name="eps">ε (torch default 1e-8).</param>
    /// <param name="weightDecay">λ, decoupled (torch default 1e-2).</param>
    /// <param name="amsgrad">Use the running maximum of the second moment (torch default false).</param>
    public AdamW(float learningRate = 1e-3f, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
        : base(nameof(AdamW), learningRate)
    {
        OptimizerChecks.UnitInterval(Name, "beta1", beta1);
        OptimizerChecks.UnitInterval(Name, "beta2", beta2);
        OptimizerChecks.NonNegative(Name, "eps", eps);
        OptimizerChecks.NonNegative(Name, "weight_decay", weightDecay);
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        AmsGrad = amsgrad;
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Eps { get; }

    public double WeightDecay { get; }

    public bool AmsGrad { get; }

    protected override int StateVectorCount => AmsGrad ? 3 : 2;

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int step)
    {
        // torch forms 1 − lr·wd in double from the group's lr.
        double shrink = 1 - (double)LearningRate * WeightDecay;
        var c = AdamKernel.For(LearningRate, Beta1, Beta2, Eps, l2: 0, shrink, step);
        AdamKernel.Run(parameters, gradients, StateVector(0), StateVector(1), AmsGrad ? StateVector(2) : default, AmsGrad, c);
    }
}
