using Cohort.NN.Serialization;
using Cohort.Tensors;

namespace Cohort.NN.Tests.Serialization;

public class SafetensorsRoundTripTests
{
    [Fact]
    public void TensorsAndMetadataSurviveARoundTrip()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["a.weight"] = Tensor.FromArray([1f, -2f, 3.5f, float.MaxValue, float.Epsilon, -0f], new Shape(2, 3)),
            ["scalar"] = Tensor.FromArray([42f], Shape.Scalar),
            ["empty"] = new Tensor(new Shape(0, 4)),
            ["conv"] = Tensor.FromArray(Enumerable.Range(0, 2 * 3 * 2 * 2 * 1).Select(i => i * 0.25f).ToArray(), new Shape(2, 3, 2, 2, 1)),
        };
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode" });

        var file = SafetensorsFile.Read(path);
        Assert.Equal(tensors.Keys, file.Names);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("ünïcode", file.Metadata["note"]);
        foreach (var (name, expected) in tensors)
        {
            var entry = file.Entry(name);
            Assert.Equal(SafetensorsDType.F32, entry.DType);
            Assert.Equal(expected.Shape, entry.Shape);
            var actual = file.ReadTensor(name);
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expected.ToArray(), actual.ToArray());
        }
    }

    [Fact]
    public void LayoutFollowsTheFormat()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        SafetensorsWriter.Write(path, [KeyValuePair.Create("x", Tensor.FromArray([1f, 2f], new Shape(2)))]);
        byte[] bytes = File.ReadAllBytes(path);
        ulong headerLength = BitConverter.ToUInt64(bytes, 0);
        // Header padded so the data is 8-byte aligned; data is the raw little-endian floats.
        Assert.Equal(0UL, (8 + headerLength) % 8);
        Assert.Equal(8 + (long)headerLength + 8, bytes.Length);
        Assert.Equal(RawSafetensors.Floats(1f, 2f), bytes[^8..]);
        Assert.Empty(SafetensorsFile.Read(path).Metadata);
        string header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength).TrimEnd(' ');
        Assert.Equal("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", header);
    }

    [Fact]
    public void OverwriteReplacesTheWholeFileAndLeavesNoTemporaryFiles()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        SafetensorsWriter.Write(path, [KeyValuePair.Create("big", new Tensor(new Shape(1000)))]);
        SafetensorsWriter.Write(path, [KeyValuePair.Create("small", Tensor.FromArray([7f], new Shape(1)))]);

        var file = SafetensorsFile.Read(path);
        Assert.Equal(["small"], file.Names);
        Assert.Equal([7f], file.ReadTensor("small").ToArray());
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void AFailedWriteLeavesTheExistingFileIntact()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        SafetensorsWriter.Write(path, [KeyValuePair.Create("x", Tensor.FromArray([1f], new Shape(1)))]);
        byte[] before = File.ReadAllBytes(path);

        var e = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path,
        [
            KeyValuePair.Create("y", new Tensor(new Shape(3))),
            KeyValuePair.Create("y", new Tensor(new Shape(3))),
        ]));
        Assert.Contains("'y'", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("__metadata__")]
    public void ReservedOrEmptyNamesAreRejected(string name)
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(dir.File("t.safetensors"), [KeyValuePair.Create(name, new Tensor(new Shape(1)))]));
        Assert.Contains("names must be non-empty", e.Message);
    }
}
