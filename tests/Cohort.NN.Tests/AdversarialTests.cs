using Cohort.NN.Adversarial;
using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.NN.Zoo;
using Cohort.Tensors;
using Cohort.Tensors.Random;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Tests;

public class AdversarialTests
{
    private static (float[] X, int[] Y) Batch(int batch, ulong seed)
    {
        var random = RandomStream.Create(seed);
        var x = new float[batch * 784];
        random.FillUniform(x, 0, 1);
        var y = Enumerable.Range(0, batch).Select(i => i * 3 % 10).ToArray();
        return (x, y);
    }

    private static double Loss(Model model, float[] x, int[] y)
    {
        var tape = new Tape { Training = false, GradEnabled = false };
        var input = Tensor.FromArray(x, new Shape(y.Length, 1, 28, 28));
        return tape.CrossEntropy(model.Forward(tape, input), y).Data[0];
    }

    [Fact]
    public void FgsmOnLogisticRegressionStepsAlongTheSignOfTheClosedFormGradient()
    {
        var model = ModelZoo.Create("logreg", 1);
        var (x, y) = Batch(3, 2);
        var adversarial = new float[x.Length];
        var random = RandomStream.Create(0);
        new AdversarialExamples(model, 4).Perturb(x, y, PerturbationOptions.Fgsm(0.1), ref random, adversarial);

        // ∂CE/∂x for sample b = Wᵀ(softmax(Wx + c) − onehot(y)) (the batch mean only scales it).
        var w = model.NamedParameters.Single(p => p.Name == "fc.weight").Data.ToArray();
        var c = model.NamedParameters.Single(p => p.Name == "fc.bias").Data.ToArray();
        for (int b = 0; b < 3; b++)
        {
            var logits = new double[10];
            for (int k = 0; k < 10; k++)
            {
                logits[k] = c[k];
                for (int i = 0; i < 784; i++)
                {
                    logits[k] += w[k * 784 + i] * x[b * 784 + i];
                }
            }
            double max = logits.Max(), sum = logits.Sum(l => Math.Exp(l - max));
            var delta = logits.Select((l, k) => Math.Exp(l - max) / sum - (k == y[b] ? 1 : 0)).ToArray();
            for (int i = 0; i < 784; i++)
            {
                double g = 0;
                for (int k = 0; k < 10; k++)
                {
                    g += w[k * 784 + i] * delta[k];
                }
                double expected = Math.Clamp(x[b * 784 + i] + 0.1 * Math.Sign(g), 0, 1);
                Assert.Equal(expected, adversarial[b * 784 + i], 1e-6);
            }
        }
        Assert.True(Loss(model, adversarial, y) > Loss(model, x, y));
    }

    [Theory]
    [InlineData(PerturbationNorm.LInf)]
    [InlineData(PerturbationNorm.L2)]
    public void PgdStaysInTheBallAndTheRangeAndRaisesTheLoss(PerturbationNorm norm)
    {
        var model = ModelZoo.Create("cnn", 3);
        var (x, y) = Batch(2, 4);
        double eps = norm == PerturbationNorm.LInf ? 0.05 : 1.0;
        var adversarial = new float[x.Length];
        var random = RandomStream.Create(5);
        new AdversarialExamples(model, 2).Perturb(x, y, PerturbationOptions.Pgd(eps, 5, norm), ref random, adversarial);
        for (int b = 0; b < 2; b++)
        {
            double l2 = 0, linf = 0;
            for (int i = b * 784; i < (b + 1) * 784; i++)
            {
                Assert.InRange(adversarial[i], 0f, 1f);
                double d = adversarial[i] - x[i];
                l2 += d * d;
                linf = Math.Max(linf, Math.Abs(d));
            }
            Assert.True((norm == PerturbationNorm.LInf ? linf : Math.Sqrt(l2)) <= eps + 1e-5, $"sample {b} left the ε-ball");
        }
        Assert.True(Loss(model, adversarial, y) > Loss(model, x, y));
    }

    [Fact]
    public void BadOptionsNameTheValue()
    {
        var model = ModelZoo.Create("logreg", 1);
        var (x, y) = Batch(1, 2);
        var random = RandomStream.Create(0);
        var e = Assert.Throws<ArgumentException>(() => new AdversarialExamples(model, 1).Perturb(x, y, new PerturbationOptions(-1), ref random, x));
        Assert.Contains("epsilon", e.Message);
        e = Assert.Throws<ArgumentException>(() => new AdversarialExamples(model, 1).Perturb(x, y, new PerturbationOptions(0.1, Steps: 0), ref random, x));
        Assert.Contains("steps", e.Message);
    }
}
