using Cohort.Tensors.Random;

namespace Cohort.Federated.Leakage;

/// <summary>
/// Analytic recovery of a fully connected first layer's input: for y = Wx + b, ∂L/∂W_i = (∂L/∂b_i)·x, so
/// x̂ = (∂L/∂W_i)/(∂L/∂b_i) for any row i with a nonzero bias gradient — exact for a batch of one. For a
/// batch of B each row gives a mixture of the B inputs weighted by that row's output gradients; the B rows
/// of largest |∂L/∂b_i| are returned. Labels by iDLG's rule.
/// </summary>
internal sealed class AnalyticAttack : IGradientAttack
{
    public static LeakageAttackDeclaration Declaration { get; } = new("analytic", "the first fully connected layer's input read off its weight and bias gradients (exact at batch 1)", _ => new AnalyticAttack());

    public Reconstruction Reconstruct(LeakageTarget target, ref RandomStream random)
    {
        var layer = LayerGradients.First(target.Model);
        var bias = target.Gradient.AsSpan(layer.BiasOffset, layer.Outputs).ToArray();
        var rows = Enumerable.Range(0, layer.Outputs).OrderByDescending(i => MathF.Abs(bias[i])).ThenBy(i => i).Take(target.Batch).ToArray();
        if (bias[rows[0]] == 0)
        {
            throw new ArgumentException("analytic: every bias gradient of the first layer is zero; the input cannot be read off.");
        }
        var images = new float[target.Batch * layer.Inputs];
        for (int b = 0; b < target.Batch; b++)
        {
            Recover(layer.WeightRow(target.Gradient, rows[b % rows.Length]), bias[rows[b % rows.Length]], images.AsSpan(b * layer.Inputs, layer.Inputs));
        }
        return new Reconstruction(images, IdlgLabels.Infer(target));
    }

    /// <summary>x̂ = (∂L/∂W_i)/(∂L/∂b_i).</summary>
    public static void Recover(ReadOnlySpan<float> weightRow, float biasGradient, Span<float> input)
    {
        for (int j = 0; j < input.Length; j++)
        {
            input[j] = weightRow[j] / biasGradient;
        }
    }
}
