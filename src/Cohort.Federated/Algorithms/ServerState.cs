using Cohort.NN.Optimizers;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// Everything the server keeps between rounds, explicitly: the global model, the server optimizer
/// (plain SGD with rate 1 applies the aggregate as it is, which is FedAvg), and any named vectors a
/// method needs (control variates, momenta), all of the model's layout.
/// </summary>
public sealed class ServerState
{
    public ServerState(float[] global, float[] buffers, IOptimizer optimizer)
    {
        Global = global;
        Buffers = buffers;
        Optimizer = optimizer;
        Scratch = new float[global.Length];
    }

    public float[] Global { get; }

    /// <summary>Non-trainable model state (batch-norm statistics), broadcast with the model.</summary>
    public float[] Buffers { get; }

    public IOptimizer Optimizer { get; }

    /// <summary>Rounds completed.</summary>
    public int Round { get; set; }

    public Dictionary<string, float[]> Vectors { get; } = new(StringComparer.Ordinal);

    /// <summary>A model-sized buffer for the server step.</summary>
    public float[] Scratch { get; }
}
