using Cohort.Federated.State;

namespace Cohort.Federated.Personal;

/// <summary>
/// How a client's personal model is made from the global model and what the client keeps in its state
/// (a kept part of the parameters, Ditto's own model, APFL's mixture): what is scored on the client's
/// own test split as personal_accuracy_*.
/// </summary>
public interface IPersonalModel
{
    /// <summary>Writes the personal model of <paramref name="client"/> into <paramref name="destination"/>; a client that keeps nothing yet gets <paramref name="global"/>.</summary>
    void Compose(IClientStateStore states, int client, ReadOnlySpan<float> global, Span<float> destination);
}
