using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.NN.Tests;

/// <summary>
/// Finite-difference gradient checks: the analytic gradient of L = Σ out ⊙ r (r random, fixed)
/// with respect to every input is compared with central differences of L.
/// </summary>
public static class GradCheck
{
    /// <summary>A leaf tensor with random values and a gradient buffer.</summary>
    public static Tensor Leaf(Shape shape, ulong seed, float low = -1f, float high = 1f, string name = "x")
    {
        var t = new Tensor(shape, name) { RequiresGrad = true };
        t.AttachGrad(new float[shape.Size], 0);
        var random = RandomStream.Create(seed, RandomStream.Purpose(name));
        random.FillUniform(t.Data, low, high);
        return t;
    }

    /// <summary>Checks d L/d input for every input; tolerance is on ‖analytic − numeric‖/‖numeric‖.</summary>
    public static void Check(Func<Tape, Tensor> forward, Tensor[] inputs, double tolerance = 1e-2, float eps = 1e-2f, bool training = true)
    {
        var tape = new Tape { Training = training };
        float[]? weights = null;

        double Loss(bool backward)
        {
            tape.Reset();
            tape.Random = RandomStream.Create(1234);
            tape.GradEnabled = backward;
            var output = forward(tape);
            if (weights is null)
            {
                weights = new float[output.Size];
                var random = RandomStream.Create(77);
                random.FillUniform(weights, -1f, 1f);
            }
            var outData = output.Data;
            double loss = 0;
            for (int i = 0; i < outData.Length; i++)
            {
                loss += (double)outData[i] * weights[i];
            }
            if (backward)
            {
                weights.CopyTo(output.Grad);
                tape.BackwardFrom();
            }
            return loss;
        }

        foreach (var input in inputs)
        {
            input.Grad.Clear();
        }
        Loss(backward: true);
        foreach (var input in inputs)
        {
            var analytic = input.Grad.ToArray();
            var numeric = new double[input.Size];
            for (int i = 0; i < input.Size; i++)
            {
                float saved = input.Data[i];
                input.Data[i] = saved + eps;
                double plus = Loss(false);
                input.Data[i] = saved - eps;
                double minus = Loss(false);
                input.Data[i] = saved;
                numeric[i] = (plus - minus) / (2 * eps);
            }
            double diff = 0, norm = 0;
            for (int i = 0; i < numeric.Length; i++)
            {
                diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
                norm += numeric[i] * numeric[i];
            }
            double relative = Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-6);
            Assert.True(relative <= tolerance, $"gradient of '{input.Describe()}': relative error {relative:G3} > {tolerance:G3}");
            Assert.True(norm > 0 || analytic.All(a => a == 0), $"gradient of '{input.Describe()}' should be zero");
        }
    }
}
