namespace Cohort.Federated.Algorithms;

/// <summary>
/// Gradients of the round's clients' losses at any point, asked for by a method that steps one client's
/// model with other clients' gradients (pcl). Only a run that holds every client's data in one process can
/// answer (<see cref="IFederatedAlgorithm.NeedsCollaboratorGradients"/>).
/// </summary>
internal interface ICollaboratorGradients
{
    /// <summary>The round's cohort, in its order: the clients whose losses may be asked for.</summary>
    IReadOnlyList<int> Clients { get; }

    /// <summary>
    /// Writes the gradient at <paramref name="point"/> of <paramref name="client"/>'s mean loss on its mini-batch
    /// number <paramref name="batch"/> of the round (the batches it draws in its own order, the same whoever asks);
    /// returns that loss. The worker's objective is left bound to <paramref name="client"/>.
    /// </summary>
    float BatchGradientAt(int client, int batch, ReadOnlySpan<float> point, Span<float> gradient);
}
