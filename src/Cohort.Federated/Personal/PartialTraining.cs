using Cohort.Federated.Algorithms;
using Cohort.NN.Optimizers;

namespace Cohort.Federated.Personal;

/// <summary>
/// Local steps that train only part of the model (FedRep's head and body phases, fine-tuning named
/// layers): after each step the frozen ranges get back the values they had before the steps, so no
/// optimizer (momentum, weight decay) moves a frozen value.
/// </summary>
internal static class PartialTraining
{
    /// <summary>
    /// Takes <paramref name="steps"/> mini-batch steps from the objective's current parameters with a reset
    /// optimizer at <paramref name="learningRate"/>, holding <paramref name="frozen"/> fixed; <paramref name="saved"/>
    /// (model-sized) holds the starting values. Returns the summed loss and the batches taken.
    /// </summary>
    public static (double LossSum, int Batches) Run(ILocalObjective objective, IOptimizer optimizer, float learningRate, long steps,
        IReadOnlyList<(int Offset, int Length)> frozen, Span<float> saved)
    {
        optimizer.Reset();
        optimizer.LearningRate = learningRate;
        objective.Parameters.CopyTo(saved);
        double lossSum = 0;
        int batches = 0;
        for (long s = 0; s < steps && objective.Samples > 0; s++)
        {
            lossSum += objective.NextBatchStep(optimizer);
            var parameters = objective.Parameters;
            foreach (var (offset, length) in frozen)
            {
                saved.Slice(offset, length).CopyTo(parameters.Slice(offset, length));
            }
            batches++;
        }
        return (lossSum, batches);
    }
}
