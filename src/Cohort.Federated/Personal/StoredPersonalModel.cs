using Cohort.Federated.State;

namespace Cohort.Federated.Personal;

/// <summary>
/// A personal model a method keeps whole in one client-state vector (Ditto's v, pFedMe's θ, IFCA's
/// chosen cluster): the client's stored vector, or the global model for a client that has none yet.
/// </summary>
internal sealed class StoredPersonalModel(ClientVector vector) : IPersonalModel
{
    public void Compose(IClientStateStore states, int client, ReadOnlySpan<float> global, Span<float> destination)
    {
        if (!states.TryRead(client, vector, destination))
        {
            global.CopyTo(destination);
        }
    }
}
