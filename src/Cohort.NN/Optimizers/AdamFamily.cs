namespace Cohort.NN.Optimizers;

/// <summary>
/// What Adam and AdamW share: hyper-parameters, their checks and the moment state
/// ([exp_avg, exp_avg_sq] and, with AMSGrad, [max_exp_avg_sq]). They differ only in how weight decay enters.
/// </summary>
public abstract class AdamFamily : FlatOptimizer
{
    protected AdamFamily(string name, float learningRate, double beta1, double beta2, double eps, double weightDecay, bool amsgrad)
        : base(name, learningRate)
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

    /// <summary>Runs the shared kernel with an L2 term added to the gradient and a multiplicative shrink of the parameters.</summary>
    protected void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int step, double l2, double shrink)
    {
        var c = AdamKernel.For(LearningRate, Beta1, Beta2, Eps, l2, shrink, step);
        AdamKernel.Run(parameters, gradients, StateVector(0), StateVector(1), AmsGrad ? StateVector(2) : default, AmsGrad, c);
    }
}
