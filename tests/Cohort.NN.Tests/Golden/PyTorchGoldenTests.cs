using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.NN.Serialization;
using Cohort.NN.Zoo;
using Cohort.Tensors;

namespace Cohort.NN.Tests.Golden;

/// <summary>
/// Each zoo model, loaded with PyTorch's weights, must reproduce PyTorch's logits, loss and gradients
/// (parameters and, for images, the input) on the same batch.
/// </summary>
public class PyTorchGoldenTests
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("logreg")]
    [InlineData("mlp")]
    [InlineData("cnn")]
    [InlineData("lenet5")]
    [InlineData("resnet20")]
    [InlineData("charlstm")]
    public void ForwardAndBackwardMatchPyTorch(string name)
    {
        var file = GoldenFiles.Read(name);
        var model = ModelZoo.Create(name, 1, name == "resnet20" ? ModelOptions.Cifar : null);
        model.LoadSafetensors(file, GoldenFiles.IsWeight);

        var stored = file.ReadTensor("input");
        bool image = file.Contains("grad.input");
        var input = new Tensor(stored.Shape, "input") { RequiresGrad = image };
        stored.Data.CopyTo(input.Data);
        if (image)
        {
            input.AttachGrad(new float[input.Size], 0);
        }
        int[] labels = file.ReadTensor("labels").ToArray().Select(v => (int)v).ToArray();

        var tape = new Tape();
        model.ZeroGrad();
        var logits = model.Forward(tape, input);
        var loss = tape.CrossEntropy(logits, labels);
        tape.Backward(loss);

        AssertClose(file, "logits", logits.Data);
        AssertClose(file, "loss", loss.Data);
        foreach (var p in model.NamedParameters)
        {
            AssertClose(file, "grad." + p.Name, p.Grad);
        }
        if (image)
        {
            AssertClose(file, "grad.input", input.Grad);
        }
    }

    private static void AssertClose(SafetensorsFile file, string name, ReadOnlySpan<float> actual)
    {
        var expected = file.ReadTensor(name).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = (double)actual[i] - expected[i];
            diff += d * d;
            norm += (double)expected[i] * expected[i];
        }
        double relative = Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-30);
        Assert.True(relative <= Tolerance, $"{name}: relative error {relative:G3} > {Tolerance:G1} (‖expected‖ = {Math.Sqrt(norm):G4})");
    }
}
