using Cohort.Federated.Algorithms;
using Cohort.NN.Adversarial;
using Cohort.NN.Modules;
using Cohort.NN.Optimizers;
using Cohort.NN.Training;

namespace Cohort.Federated.Engine;

/// <summary>
/// One executor thread's private resources: a model replica, its trainers (training and evaluation
/// batch sizes), a local optimizer and scratch buffers, all reused for every client it runs.
/// </summary>
internal sealed class Worker
{
    private AdversarialExamples? _adversary;

    public const int EvalBatch = 250;

    public Worker(int index, Model model, int batchSize, IOptimizer optimizer)
    {
        Index = index;
        Model = model;
        Optimizer = optimizer;
        Train = new Trainer(Model, optimizer, batchSize);
        Eval = new Trainer(Model, optimizer, EvalBatch);
        int sample = Model.SampleShape.Size;
        BatchInputs = new float[Math.Max(batchSize, EvalBatch) * sample];
        BatchLabels = new int[Math.Max(batchSize, EvalBatch)];
        Buffers = new ClientBuffers(Model.ParameterCount);
        PersonalBuffers = new float[Model.Buffers.Length];
        ReportedBuffers = new float[Model.Buffers.Length];
        Objective = new ModelObjective(this);
    }

    public int Index { get; }

    public Model Model { get; }

    public IOptimizer Optimizer { get; }

    public Trainer Train { get; }

    public Trainer Eval { get; }

    public float[] BatchInputs { get; }

    public int[] BatchLabels { get; }

    /// <summary>Crafts adversarial batches for adversarial training (made on first use).</summary>
    public AdversarialExamples Adversary => _adversary ??= new AdversarialExamples(Model, BatchLabels.Length);

    /// <summary>The current client's update and working vectors (same layout as the parameters).</summary>
    public ClientBuffers Buffers { get; }

    /// <summary>The current client's buffers with its kept running statistics (a method that keeps some).</summary>
    public float[] PersonalBuffers { get; }

    /// <summary>The buffers the current client reports with its kept running statistics withheld.</summary>
    public float[] ReportedBuffers { get; }

    /// <summary>The model's loss over the current client's data.</summary>
    public ModelObjective Objective { get; }

    /// <summary>Which scoring pass last loaded its model into this worker (the evaluator's bookkeeping).</summary>
    public (object? Owner, long Version) LoadedVersion { get; set; }

    private int[] _order = [];

    /// <summary>A reusable index buffer of at least the given length.</summary>
    public int[] Order(int length)
    {
        if (_order.Length < length)
        {
            _order = new int[length];
        }
        return _order;
    }
}
