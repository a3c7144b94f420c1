using Cohort.Federated.Algorithms;

namespace Cohort.Federated.Engine;

/// <summary>
/// The round's clients' gradients on one worker: each request binds the worker's objective to the asked
/// client for the round, passes over its earlier batches and takes the gradient of the next one at the
/// point, so an answer depends only on (client, round, batch, point), never on the worker.
/// </summary>
internal sealed class InProcessCollaborators(Worker worker, ObjectiveBinder bind, int[] clients, int round) : ICollaboratorGradients
{
    public IReadOnlyList<int> Clients => clients;

    public float BatchGradientAt(int client, int batch, ReadOnlySpan<float> point, Span<float> gradient)
    {
        var objective = bind(worker, client, round);
        objective.Load(point);
        objective.SkipBatches(batch);
        float loss = objective.NextBatch();
        objective.Gradients.CopyTo(gradient);
        return loss;
    }
}
