using Cohort.Data;
using Cohort.NN.Adversarial;
using Cohort.NN.Modules;
using Cohort.NN.Training;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Evaluation;

/// <summary>Accuracy of a model on adversarially perturbed test samples (FGSM or PGD), batch by batch.</summary>
internal static class RobustAccuracy
{
    public const int Batch = 100;

    public static double Evaluate(Model model, Dataset test, PerturbationOptions options, ulong seed)
    {
        var adversary = new AdversarialExamples(model, Batch);
        var trainer = new Trainer(model, new NN.Optimizers.Sgd(0), Batch);
        var random = RandomStream.Create(seed, RandomStream.Purpose("adversarial-eval"));
        int size = model.SampleShape.Size, correct = 0;
        var inputs = new float[Batch * size];
        var labels = new int[Batch];
        var indices = new int[Batch];
        for (int start = 0; start < test.Count; start += Batch)
        {
            int count = Math.Min(Batch, test.Count - start);
            for (int i = 0; i < count; i++)
            {
                indices[i] = start + i;
            }
            test.CopySamples(indices.AsSpan(0, count), inputs, labels);
            var batch = inputs.AsSpan(0, count * size);
            adversary.Perturb(batch, labels.AsSpan(0, count), options, ref random, batch);
            var logits = trainer.Forward(batch, count, training: false);
            for (int i = 0; i < count; i++)
            {
                var row = logits.Data.Slice(i * logits.Shape[1], logits.Shape[1]);
                int best = 0;
                for (int k = 1; k < row.Length; k++)
                {
                    if (row[k] > row[best])
                    {
                        best = k;
                    }
                }
                correct += best == labels[i] ? 1 : 0;
            }
        }
        return test.Count == 0 ? double.NaN : correct / (double)test.Count;
    }
}
