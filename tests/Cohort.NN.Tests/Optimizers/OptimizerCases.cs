using Cohort.NN.Optimizers;

namespace Cohort.NN.Tests.Optimizers;

/// <summary>One configuration of every optimizer with every state vector in use.</summary>
internal static class OptimizerCases
{
    public static TheoryData<string> Names =>
        ["sgd", "sgd_momentum", "sgd_nesterov", "adam", "adam_amsgrad", "adamw", "adagrad", "yogi"];

    public static IOptimizer Create(string name) => name switch
    {
        "sgd" => new Sgd(0.1f, weightDecay: 0.01),
        "sgd_momentum" => new Sgd(0.1f, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
        "sgd_nesterov" => new Sgd(0.1f, momentum: 0.9, nesterov: true),
        "adam" => new Adam(0.01f, weightDecay: 0.01),
        "adam_amsgrad" => new Adam(0.01f, amsgrad: true),
        "adamw" => new AdamW(0.01f, amsgrad: true),
        "adagrad" => new Adagrad(0.1f, lrDecay: 0.01, initialAccumulatorValue: 0.1),
        "yogi" => new Yogi(0.05f),
        _ => throw new ArgumentException(name),
    };

    /// <summary>Runs <paramref name="steps"/> steps of the golden gradients from <paramref name="start"/>.</summary>
    public static float[][] Trajectory(IOptimizer optimizer, float[] parameters, int start, int steps)
    {
        var gradients = GoldenData.Gradients;
        var trajectory = new float[steps][];
        for (int k = 0; k < steps; k++)
        {
            optimizer.Step(parameters, gradients[start + k]);
            trajectory[k] = (float[])parameters.Clone();
        }
        return trajectory;
    }
}
