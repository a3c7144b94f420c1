using Cohort.Federated.Diagnostics;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>
/// The gradient diagnostics' side of a deployed evaluation: a sampled client's full gradient and σ² at the evaluated
/// model, checked against its task, read in chunks and kept until the evaluation closes (the engine combines them).
/// </summary>
internal sealed partial class RemoteCohort
{
    /// <summary>Takes a sampled client's gradient report: the header checked against the open evaluation, then the gradient's chunks.</summary>
    public async Task<UpdateReply> AcceptGradientAsync(int client, GradientHeader header, IChunkReader chunks, CancellationToken cancel)
    {
        lock (_gate)
        {
            CheckGradient(client, header);
        }
        var gradient = new float[header.Length];
        await VectorChunks.ReadAsync(chunks, gradient, requireFinite: true, "gradient", cancel).ConfigureAwait(false);
        lock (_gate)
        {
            // The evaluation may have closed (or taken a replay) while the values came in.
            CheckGradient(client, header);
            _evaluation!.TakeGradient(client, new ClientGradient(gradient, header.Sigma2));
            return new UpdateReply { Accepted = true, Round = header.Round };
        }
    }

    private void CheckGradient(int client, GradientHeader header)
    {
        var evaluation = OpenEvaluationOf(header.Round, "gradient");
        evaluation.CheckTask(client, header.TaskId, "gradient");
        evaluation.CheckGradient(client);
        if (header.Length != evaluation.Parameters.Length || !double.IsFinite(header.Sigma2) || header.Sigma2 < 0)
        {
            throw new ProtocolException(422, $"gradient: {header.Length} values with sigma2 {header.Sigma2}; the model has {evaluation.Parameters.Length} parameters, and sigma2 is finite and non-negative.");
        }
    }
}
