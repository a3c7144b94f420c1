namespace Cohort.NN.Adversarial;

/// <summary>The ball an adversarial perturbation lives in.</summary>
public enum PerturbationNorm
{
    /// <summary>|δᵢ| ≤ ε for every input value; steps follow the gradient's sign.</summary>
    LInf,

    /// <summary>‖δ‖₂ ≤ ε per sample; steps follow the normalised gradient.</summary>
    L2,
}

/// <summary>
/// Projected gradient descent on the loss (Madry et al. 2018); FGSM (Goodfellow et al. 2015) is one
/// L∞ step of size ε from the clean input. Inputs are kept inside [Min, Max] (pixels in [0, 1]).
/// </summary>
internal sealed record PerturbationOptions(double Epsilon, int Steps = 1, double? StepSize = null, PerturbationNorm Norm = PerturbationNorm.LInf, bool RandomStart = false, float Min = 0, float Max = 1)
{
    public static PerturbationOptions Fgsm(double epsilon) => new(epsilon);

    /// <summary>PGD with the customary step 2.5·ε / steps and a random start.</summary>
    public static PerturbationOptions Pgd(double epsilon, int steps, PerturbationNorm norm = PerturbationNorm.LInf) =>
        new(epsilon, steps, 2.5 * epsilon / steps, norm, RandomStart: true);

    public double Step => StepSize ?? Epsilon;

    /// <summary>Checks the values, naming the one that is wrong.</summary>
    public PerturbationOptions Validated()
    {
        if (!(Epsilon >= 0) || !double.IsFinite(Epsilon))
        {
            throw new ArgumentException($"adversarial epsilon must be a non-negative number; got {Epsilon}.");
        }
        if (Steps < 1)
        {
            throw new ArgumentException($"adversarial steps must be at least 1; got {Steps}.");
        }
        if (!(Step >= 0) || !double.IsFinite(Step))
        {
            throw new ArgumentException($"adversarial step size must be non-negative; got {Step}.");
        }
        if (!(Min < Max))
        {
            throw new ArgumentException($"adversarial input range [{Min}, {Max}] is empty.");
        }
        return this;
    }
}
