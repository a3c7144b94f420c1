namespace Cohort.Federated.Algorithms;

/// <summary>
/// How a method changes each local step's mini-batch gradient before the client optimizer applies it
/// (FedProx's proximal pull, SCAFFOLD's control variates, Mime's momentum): the gradient of the
/// method's local objective at y.
/// </summary>
internal interface IGradientCorrection
{
    void Correct(ILocalObjective objective, Span<float> gradient);
}
