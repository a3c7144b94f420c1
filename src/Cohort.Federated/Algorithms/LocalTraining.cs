using System.Numerics.Tensors;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// The local loop every method builds on: start from the broadcast model, take the client's τ steps
/// (each: the next mini-batch's gradient, the method's correction, the client optimizer's step) and
/// leave the local model in the objective's parameters.
/// </summary>
internal static class LocalTraining
{
    public static ClientResult Run(ClientContext c, IGradientCorrection? correction = null)
    {
        var objective = c.Objective;
        objective.Load(c.Global.Span);
        var optimizer = c.Optimizer;
        optimizer.Reset();
        optimizer.LearningRate = c.Work.LearningRate;
        double lossSum = 0;
        int batches = 0;
        for (long s = 0; s < c.Steps && objective.Samples > 0; s++)
        {
            if (correction is null)
            {
                lossSum += objective.NextBatchStep(optimizer);
            }
            else
            {
                lossSum += objective.NextBatch();
                correction.Correct(objective, objective.Gradients);
                optimizer.Step(objective.Parameters, objective.Gradients);
            }
            batches++;
        }
        return new ClientResult(objective.Samples, lossSum, batches);
    }

    /// <summary>Runs the local steps and writes the update y − x: the client half of every FedAvg-style method.</summary>
    public static ClientResult RunToDelta(ClientContext c, IGradientCorrection? correction = null)
    {
        var result = Run(c, correction);
        Delta(c.Objective.Parameters, c.Global.Span, c.Buffers.Update);
        return result;
    }

    /// <summary>The full-data gradient at the broadcast model, left in the objective's gradients.</summary>
    public static ClientResult FullGradient(ClientContext c)
    {
        c.Objective.Load(c.Global.Span);
        double loss = c.Objective.FullGradient();
        return new ClientResult(c.Objective.Samples, loss, 1);
    }

    /// <summary>update = local − global.</summary>
    public static void Delta(ReadOnlySpan<float> local, ReadOnlySpan<float> global, Span<float> update) =>
        TensorPrimitives.Subtract(local, global, update);
}
