using Cohort.Data;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.NN.Optimizers;
using Cohort.NN.Training;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Evaluation;

/// <summary>
/// The loss of a small batch the server holds (drawn anew each round from its stream), at any
/// parameters: what suspicion-based aggregation (Zeno) scores updates with.
/// </summary>
internal sealed class ServerBatchLoss(Model model, Dataset data, int batch)
{
    private readonly Trainer _trainer = new(model, new Sgd(0), batch);
    private readonly float[] _inputs = new float[batch * model.SampleShape.Size];
    private readonly int[] _labels = new int[batch];
    private readonly int _size = Math.Min(batch, data.Count);

    public void Draw(ulong seed, int round)
    {
        var random = RandomStream.Create(seed, RandomStream.Purpose("server-batch"), round);
        var indices = new int[_size];
        for (int i = 0; i < _size; i++)
        {
            indices[i] = random.NextInt(data.Count);
        }
        data.CopySamples(indices, _inputs, _labels);
    }

    public double Loss(float[] parameters)
    {
        parameters.CopyTo(model.Parameters, 0);
        var logits = _trainer.Forward(_inputs.AsSpan(0, _size * model.SampleShape.Size), _size, training: false);
        return _trainer.Tape.CrossEntropy(logits, _labels.AsSpan(0, _size)).Data[0];
    }
}
