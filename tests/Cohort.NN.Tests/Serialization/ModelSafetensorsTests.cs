using Cohort.NN.Serialization;
using Cohort.NN.Zoo;
using Cohort.Tensors;

namespace Cohort.NN.Tests.Serialization;

public class ModelSafetensorsTests
{
    [Theory]
    [InlineData("logreg")]
    [InlineData("mlp")]
    [InlineData("cnn")]
    [InlineData("lenet5")]
    public void SaveThenLoadRestoresEveryParameter(string name)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name + ".safetensors");
        var saved = ModelZoo.Create(name, 1);
        saved.SaveSafetensors(path);

        var loaded = ModelZoo.Create(name, 2);
        Assert.NotEqual(saved.Parameters, loaded.Parameters);
        loaded.LoadSafetensors(path);
        Assert.Equal(saved.Parameters, loaded.Parameters);
        Assert.Equal(saved.Buffers, loaded.Buffers);
    }

    [Fact]
    public void FilesUsePyTorchNamesAndLayouts()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cnn.safetensors");
        ModelZoo.Create("cnn", 1).SaveSafetensors(path, new Dictionary<string, string> { ["round"] = "7" });

        var file = SafetensorsFile.Read(path);
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], file.Names);
        Assert.Equal(new Shape(32, 1, 5, 5), file.Entry("conv1.weight").Shape);
        Assert.Equal(new Shape(512, 3136), file.Entry("fc1.weight").Shape);
        Assert.Equal("cnn", file.Metadata["model"]);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("7", file.Metadata["round"]);
    }

    [Fact]
    public void MissingTensorIsNamedWithItsExpectedShape()
    {
        using var dir = new TempDirectory();
        var model = ModelZoo.Create("mlp", 1);
        string path = Write(dir, model, drop: "fc3.bias");

        var e = Assert.Throws<SafetensorsException>(() => model.LoadSafetensors(path));
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains("model 'mlp'", e.Message);
        Assert.Contains("missing tensor 'fc3.bias' (expected F32 [10])", e.Message);
    }

    [Fact]
    public void ExtraTensorIsNamed()
    {
        using var dir = new TempDirectory();
        var model = ModelZoo.Create("mlp", 1);
        string path = Write(dir, model, extra: KeyValuePair.Create("fc4.weight", new Tensor(new Shape(10, 200))));

        var e = Assert.Throws<SafetensorsException>(() => model.LoadSafetensors(path));
        Assert.Contains("unexpected tensor 'fc4.weight' (F32 [10, 200])", e.Message);
    }

    [Fact]
    public void WrongShapeIsNamedWithBothShapes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("logreg.safetensors");
        // A transposed weight: [in, out] instead of PyTorch's [out, in].
        SafetensorsWriter.Write(path,
        [
            KeyValuePair.Create("fc.weight", new Tensor(new Shape(784, 10))),
            KeyValuePair.Create("fc.bias", new Tensor(new Shape(10))),
        ]);
        var e = Assert.Throws<SafetensorsException>(() => ModelZoo.Create("logreg", 1).LoadSafetensors(path));
        Assert.Contains("tensor 'fc.weight' has shape [784, 10], expected [10, 784]", e.Message);
    }

    [Fact]
    public void WrongDTypeIsNamedWithBothTypes()
    {
        byte[] bytes = RawSafetensors.Build(
            """{"fc.weight":{"dtype":"F32","shape":[10,784],"data_offsets":[0,31360]},"fc.bias":{"dtype":"I64","shape":[10],"data_offsets":[31360,31440]}}""",
            new byte[31440]);
        var file = SafetensorsFile.Parse(bytes, "ints.safetensors");
        var e = Assert.Throws<SafetensorsException>(() => ModelZoo.Create("logreg", 1).LoadSafetensors(file));
        Assert.Contains("tensor 'fc.bias' has dtype I64 [10], expected F32 [10]", e.Message);
    }

    [Fact]
    public void EveryMismatchIsReportedAndTheModelIsLeftUnchanged()
    {
        using var dir = new TempDirectory();
        var model = ModelZoo.Create("mlp", 1);
        var other = ModelZoo.Create("mlp", 2);
        string path = Write(dir, other, drop: "fc1.bias", extra: KeyValuePair.Create("head.bias", new Tensor(new Shape(3))));
        float[] before = model.Parameters.ToArray();

        var e = Assert.Throws<SafetensorsException>(() => model.LoadSafetensors(path));
        Assert.Contains("'fc1.bias'", e.Message);
        Assert.Contains("'head.bias'", e.Message);
        Assert.Equal(before, model.Parameters);
    }

    [Fact]
    public void BatchNormStepCountersAreIgnored()
    {
        var model = ModelZoo.Create("logreg", 1);
        var weight = RawSafetensors.Floats(Enumerable.Repeat(0.5f, 7840).ToArray());
        var data = weight.Concat(new byte[40]).Concat(BitConverter.GetBytes(12L)).ToArray();
        byte[] bytes = RawSafetensors.Build(
            """{"fc.weight":{"dtype":"F32","shape":[10,784],"data_offsets":[0,31360]},"fc.bias":{"dtype":"F32","shape":[10],"data_offsets":[31360,31400]},"bn.num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[31400,31408]}}""",
            data);
        model.LoadSafetensors(SafetensorsFile.Parse(bytes));
        Assert.All(model.NamedParameters[0].ToArray(), v => Assert.Equal(0.5f, v));
        Assert.All(model.NamedParameters[1].ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void HalfPrecisionWeightsLoad()
    {
        var model = ModelZoo.Create("logreg", 1);
        var data = new byte[(7840 + 10) * 2];
        for (int i = 0; i < 7850; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(2 * i), (Half)0.25f);
        }
        byte[] bytes = RawSafetensors.Build(
            """{"fc.weight":{"dtype":"F16","shape":[10,784],"data_offsets":[0,15680]},"fc.bias":{"dtype":"F16","shape":[10],"data_offsets":[15680,15700]}}""",
            data);
        model.LoadSafetensors(SafetensorsFile.Parse(bytes));
        Assert.All(model.Parameters, v => Assert.Equal(0.25f, v));
    }

    private static string Write(TempDirectory dir, Cohort.NN.Modules.Model model, string? drop = null, KeyValuePair<string, Tensor>? extra = null)
    {
        var state = model.StateDict().Where(p => p.Key != drop).ToList();
        if (extra is { } e)
        {
            state.Add(e);
        }
        string path = dir.File(model.Name + ".safetensors");
        SafetensorsWriter.Write(path, state);
        return path;
    }
}
