using Cohort.Federated.Leakage;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Leakage;

/// <summary>
/// The probe's Hessian-vector product (a central difference of float input gradients along v in parameter space)
/// against the mixed second derivatives ∇ₓ⟨∇θL, v⟩ and ∇ₜ⟨∇θL, v⟩ of a tanh MLP in double precision: the parameter
/// gradient written out by hand (backpropagation through softmax cross-entropy, tanh and two linear layers), its
/// inner product with v differentiated in x and t by central differences of step 1e-6.
/// </summary>
public sealed class MixedProductTests
{
    private const int Inputs = 16, Hidden = 5, Classes = 3, Batch = 2;

    /// <summary>A larger step leaves the difference's truncation error; the default, small enough for ReLU nets, leaves float rounding.</summary>
    [Theory]
    [InlineData(1e-3, 2e-3)]
    [InlineData(GradientProbe.DefaultRelativeStep, 3e-2)]
    public void TheFiniteDifferenceProductMatchesTheDoublePrecisionMixedDerivative(double step, double tolerance)
    {
        var model = TinyNets.Mlp(1, 4, Hidden, Classes, seed: 9);
        var probe = new GradientProbe(model, Batch, step);
        var x = TinyNets.Image(Batch * Inputs, 4);
        float[] targets = [0.2f, 0.5f, 0.3f, 0.6f, 0.1f, 0.3f];
        var v = new float[model.ParameterCount];
        var random = RandomStream.Create(2);
        random.FillNormal(v, 0, 1);
        var before = model.Parameters.ToArray();

        var inputProduct = new float[x.Length];
        var targetProduct = new float[targets.Length];
        probe.MixedProduct(x, targets, v, inputProduct, targetProduct);

        var theta = model.Parameters.Select(p => (double)p).ToArray();
        var vd = v.Select(p => (double)p).ToArray();
        var xd = x.Select(p => (double)p).ToArray();
        var td = targets.Select(p => (double)p).ToArray();
        AssertClose(Differentiate(xd, d => Phi(theta, vd, d, td)), inputProduct, tolerance);
        AssertClose(Differentiate(td, d => Phi(theta, vd, xd, d)), targetProduct, tolerance);
        Assert.Equal(before, model.Parameters);
    }

    private static void AssertClose(double[] reference, float[] actual, double tolerance)
    {
        double error = 0, norm = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            error += (reference[i] - actual[i]) * (reference[i] - actual[i]);
            norm += reference[i] * reference[i];
        }
        Assert.True(norm > 1e-6, "the reference product is not trivially zero");
        Assert.True(Math.Sqrt(error / norm) < tolerance, $"relative error {Math.Sqrt(error / norm):E2}");
    }

    private static double[] Differentiate(double[] at, Func<double[], double> f)
    {
        const double step = 1e-6;
        var gradient = new double[at.Length];
        for (int i = 0; i < at.Length; i++)
        {
            double saved = at[i];
            at[i] = saved + step;
            double plus = f(at);
            at[i] = saved - step;
            double minus = f(at);
            at[i] = saved;
            gradient[i] = (plus - minus) / (2 * step);
        }
        return gradient;
    }

    /// <summary>⟨∇θL, v⟩ for L = −(1/B) Σ t·log softmax(W2 tanh(W1 x + b1) + b2), θ = (W1, b1, W2, b2) flat.</summary>
    private static double Phi(double[] theta, double[] v, double[] x, double[] t)
    {
        int w1 = 0, b1 = Hidden * Inputs, w2 = b1 + Hidden, b2 = w2 + Classes * Hidden;
        double phi = 0;
        for (int b = 0; b < Batch; b++)
        {
            var h = new double[Hidden];
            for (int j = 0; j < Hidden; j++)
            {
                double a = theta[b1 + j];
                for (int i = 0; i < Inputs; i++)
                {
                    a += theta[w1 + j * Inputs + i] * x[b * Inputs + i];
                }
                h[j] = Math.Tanh(a);
            }
            var z = new double[Classes];
            double max = double.NegativeInfinity, sum = 0, mass = 0;
            for (int c = 0; c < Classes; c++)
            {
                z[c] = theta[b2 + c];
                for (int j = 0; j < Hidden; j++)
                {
                    z[c] += theta[w2 + c * Hidden + j] * h[j];
                }
                max = Math.Max(max, z[c]);
                mass += t[b * Classes + c];
            }
            foreach (double zc in z)
            {
                sum += Math.Exp(zc - max);
            }
            // δ2 = ∂L/∂z = (p·Σt − t)/B; δ1 = (W2ᵀ δ2) ⊙ (1 − h²).
            var d2 = new double[Classes];
            for (int c = 0; c < Classes; c++)
            {
                d2[c] = (Math.Exp(z[c] - max) / sum * mass - t[b * Classes + c]) / Batch;
                phi += v[b2 + c] * d2[c];
                for (int j = 0; j < Hidden; j++)
                {
                    phi += v[w2 + c * Hidden + j] * d2[c] * h[j];
                }
            }
            for (int j = 0; j < Hidden; j++)
            {
                double d1 = 0;
                for (int c = 0; c < Classes; c++)
                {
                    d1 += theta[w2 + c * Hidden + j] * d2[c];
                }
                d1 *= 1 - h[j] * h[j];
                phi += v[b1 + j] * d1;
                for (int i = 0; i < Inputs; i++)
                {
                    phi += v[w1 + j * Inputs + i] * d1 * x[b * Inputs + i];
                }
            }
        }
        return phi;
    }
}
