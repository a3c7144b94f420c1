using Cohort.NN.Modules;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Leakage;

/// <summary>What the attacker holds: the model at the weights the gradient was taken at, the gradient as it left the client (after any defence), and the batch size.</summary>
internal sealed record LeakageTarget(Model Model, float[] Gradient, int Batch);

/// <summary>An attack's answer: <c>Batch</c> images (the model's sample layout, one after another) and a label for each.</summary>
internal sealed record Reconstruction(float[] Images, int[] Labels);

/// <summary>Recovers a client's batch from the gradient it sent (a gradient-leakage attack).</summary>
internal interface IGradientAttack
{
    Reconstruction Reconstruct(LeakageTarget target, ref RandomStream random);
}

/// <summary>The knobs the optimisation attacks share; null: the attack's own default.</summary>
internal sealed record LeakageSettings
{
    public int? Iterations { get; init; }

    public double? LearningRate { get; init; }

    public double? TotalVariation { get; init; }

    /// <summary>The Hessian-vector product's central-difference step relative to ‖θ‖ (<see cref="GradientProbe.RelativeStep"/>).</summary>
    public double HvpStep { get; init; } = GradientProbe.DefaultRelativeStep;
}

/// <summary>An attack's name (the command's --attack), a one-line doc, and how it is built.</summary>
internal sealed record LeakageAttackDeclaration(string Name, string Doc, Func<LeakageSettings, IGradientAttack> Create);
