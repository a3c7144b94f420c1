using Cohort.Federated.Engine;
using Cohort.NN.Optimizers;
using Cohort.NN.Zoo;

namespace Cohort.Federated.Tests;

public class ModelObjectiveTests
{
    [Fact]
    public void SkippingBatchesDrawsTheBatchThatDrawingThemWouldHaveLeftNext()
    {
        // 45 samples in batches of 10: 7 batches cross an epoch's end (5 per epoch), so the skip reshuffles as drawing does.
        var data = TestExperiments.MnistSubset(45, 1);
        var worker = new Worker(0, ModelZoo.Create("logreg", 0), 10, new Sgd(0.1f));
        int[] indices = Enumerable.Range(0, 45).ToArray();
        float[] Gradient(Action<BatchPasses> pass)
        {
            var objective = worker.Objective.Bind(data.Train, indices, 3, 1, 0, Array.Empty<float>());
            objective.Load(new float[worker.Model.ParameterCount]);
            pass(new BatchPasses(objective));
            objective.NextBatch();
            return objective.Gradients.ToArray();
        }
        var drawn = Gradient(o => o.Draw(7));
        var skipped = Gradient(o => o.Skip(7));
        Assert.Equal(drawn, skipped);
        Assert.NotEqual(drawn, Gradient(o => o.Skip(6)));
    }

    /// <summary>Passes over batches through the objective's interface, as methods do: by drawing them, or by skipping them.</summary>
    private sealed class BatchPasses(Algorithms.ILocalObjective objective)
    {
        public void Draw(int count)
        {
            for (int i = 0; i < count; i++)
            {
                objective.NextBatch();
            }
        }

        public void Skip(int count) => objective.SkipBatches(count);
    }

    [Fact]
    public void BatchGradientsAtAnotherPointLeaveTheLocalModelAndAverageToTheFullGradient()
    {
        var data = TestExperiments.MnistSubset(45, 1);
        var worker = new Worker(0, ModelZoo.Create("logreg", 0), 10, new Sgd(0.1f));
        int[] indices = Enumerable.Range(0, 45).ToArray();
        var objective = worker.Objective.Bind(data.Train, indices, 3, 1, 0, Array.Empty<float>());
        var x = worker.Model.Parameters.ToArray();
        objective.Load(x);
        double loss = objective.FullGradient();
        // logreg has no dropout or batch norm: the evaluation-mode loss is the same function.
        Assert.Equal(loss, objective.FullLoss(), 1e-5);
        Assert.True(loss > 0.5);
        var full = objective.Gradients.ToArray();

        // One epoch of batches (10, 10, 10, 10, 5) at x: their size-weighted mean is the full gradient.
        var mean = new double[full.Length];
        for (int b = 0; b < 5; b++)
        {
            objective.NextBatch();
            double share = (b < 4 ? 10 : 5) / 45.0;
            for (int j = 0; j < mean.Length; j++)
            {
                mean[j] += share * objective.Gradients[j];
            }
        }
        for (int j = 0; j < full.Length; j += 37)
        {
            Assert.Equal(full[j], mean[j], 1e-5);
        }

        // Move y away from x; the batch gradient at x equals the one NextBatch gave at x, and y stays.
        objective.Load(x);
        objective.NextBatch();
        var atX = objective.Gradients.ToArray();
        for (int j = 0; j < x.Length; j++)
        {
            objective.Parameters[j] += 0.01f;
        }
        var y = objective.Parameters.ToArray();
        // What a method holds in the gradients (a corrected step) must survive the extra evaluation.
        objective.Gradients.Fill(7f);
        var again = new float[x.Length];
        objective.BatchGradientAt(x, again);
        Assert.Equal(atX, again);
        Assert.Equal(y, objective.Parameters.ToArray());
        Assert.All(objective.Gradients.ToArray(), g => Assert.Equal(7f, g));
        Assert.NotEqual(x, y);
    }
}
