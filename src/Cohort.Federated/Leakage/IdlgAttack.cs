using Cohort.Tensors.Random;

namespace Cohort.Federated.Leakage;

/// <summary>
/// Improved DLG (Zhao et al. 2020): the labels read off the output layer's gradient (<see cref="IdlgLabels"/>),
/// then DLG's L-BFGS on the dummy data alone against those fixed labels.
/// </summary>
internal sealed class IdlgAttack(int iterations, double hvpStep = GradientProbe.DefaultRelativeStep) : IGradientAttack
{
    public static LeakageAttackDeclaration Declaration { get; } = new("idlg", "iDLG: labels from the sign of the output layer's gradient, then DLG on the data alone",
        s => new IdlgAttack(s.Iterations ?? DlgAttack.DefaultIterations, s.HvpStep));

    public Reconstruction Reconstruct(LeakageTarget target, ref RandomStream random) =>
        DlgAttack.Optimise(target, IdlgLabels.Infer(target), iterations, hvpStep, ref random);
}
