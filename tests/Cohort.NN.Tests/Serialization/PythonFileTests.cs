using Cohort.NN.Serialization;
using Cohort.NN.Tests.Golden;
using Cohort.Tensors;

namespace Cohort.NN.Tests.Serialization;

/// <summary>Files written by tests/Cohort.NN.Tests/Golden/make_golden.py (PyTorch) read back.</summary>
public class PythonFileTests
{
    [Fact]
    public void HeaderMetadataAndTensorsAreRead()
    {
        var file = GoldenFiles.Read("logreg");
        Assert.Equal("make_golden.py", file.Metadata["source"]);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.All(file.Entries, e => Assert.Equal(SafetensorsDType.F32, e.DType));
        Assert.Equal(new Shape(10, 784), file.Entry("fc.weight").Shape);
        Assert.Equal(new Shape(10), file.Entry("fc.bias").Shape);
        Assert.Equal(new Shape(4, 1, 28, 28), file.Entry("input").Shape);
        Assert.Equal(new Shape(1), file.Entry("loss").Shape);

        // PyTorch's Linear init is U(±1/√fan_in); the images are U[0, 1).
        Assert.All(file.ReadTensor("fc.weight").ToArray(), v => Assert.InRange(v, -1f / 28f, 1f / 28f));
        Assert.All(file.ReadTensor("input").ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.All(file.ReadTensor("labels").ToArray(), v => Assert.True(v == MathF.Floor(v) && v is >= 0 and < 10));
    }

    [Fact]
    public void AllSixModelsHaveGoldenFiles()
    {
        foreach (string name in new[] { "logreg", "mlp", "cnn", "lenet5", "resnet20", "charlstm" })
        {
            var file = GoldenFiles.Read(name);
            Assert.True(file.Contains("logits") && file.Contains("loss") && file.Contains("labels"), name);
            foreach (var weight in file.Names.Where(GoldenFiles.IsWeight))
            {
                Assert.True(file.Contains("grad." + weight), $"{name}: no gradient for '{weight}'");
            }
        }
    }

    [Fact]
    public void StateDictNamesFollowPyTorch()
    {
        var resnet = GoldenFiles.Read("resnet20");
        Assert.Equal(new Shape(16, 3, 3, 3), resnet.Entry("conv1.weight").Shape);
        Assert.Equal(new Shape(32, 16, 1, 1), resnet.Entry("layer2.0.shortcut.0.weight").Shape);
        Assert.Equal(new Shape(32), resnet.Entry("layer2.0.shortcut.1.weight").Shape);
        Assert.False(resnet.Contains("layer1.0.shortcut.0.weight"));
        Assert.Equal(new Shape(10, 64), resnet.Entry("fc.weight").Shape);

        var lstm = GoldenFiles.Read("charlstm");
        Assert.Equal(new Shape(80, 8), lstm.Entry("embedding.weight").Shape);
        Assert.Equal(new Shape(1024, 8), lstm.Entry("lstm.weight_ih_l0").Shape);
        Assert.Equal(new Shape(1024, 256), lstm.Entry("lstm.weight_hh_l1").Shape);
        Assert.Equal(new Shape(1024), lstm.Entry("lstm.bias_ih_l1").Shape);
        Assert.Equal(new Shape(4, 80), lstm.Entry("input").Shape);
        Assert.False(lstm.Contains("grad.input"));
    }
}
