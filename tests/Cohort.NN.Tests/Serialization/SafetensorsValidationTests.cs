using Cohort.NN.Serialization;

namespace Cohort.NN.Tests.Serialization;

/// <summary>Malformed files fail on open with a message naming the file, the tensor and the problem.</summary>
public class SafetensorsValidationTests
{
    private const string File = "bad.safetensors";

    private static SafetensorsException Fails(byte[] bytes)
    {
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Parse(bytes, File));
        Assert.Contains($"'{File}'", e.Message);
        return e;
    }

    private static byte[] One(string entry, byte[] data) => RawSafetensors.Build($$"""{"w":{{entry}}}""", data);

    [Fact]
    public void ShorterThanTheLengthField()
    {
        var e = Fails([1, 0, 0]);
        Assert.Contains("3 bytes long", e.Message);
    }

    [Fact]
    public void HeaderLengthBeyondTheFile()
    {
        var e = Fails(RawSafetensors.Build("{}", [], declaredHeaderLength: 1000));
        Assert.Contains("header of 1000 bytes", e.Message);
        Assert.Contains("only 2 bytes", e.Message);
    }

    [Fact]
    public void HugeHeaderLength()
    {
        var e = Fails(RawSafetensors.Build("{}", [], declaredHeaderLength: ulong.MaxValue));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void TruncatedData()
    {
        byte[] whole = One("""{"dtype":"F32","shape":[4],"data_offsets":[0,16]}""", RawSafetensors.Floats(1, 2, 3, 4));
        var e = Fails(whole[..^5]);
        Assert.Contains("tensor 'w'", e.Message);
        Assert.Contains("beyond the 11 bytes of data", e.Message);
    }

    [Fact]
    public void HeaderIsNotJson()
    {
        var e = Fails(RawSafetensors.Build("{\"w\": [", []));
        Assert.Contains("not valid UTF-8 JSON", e.Message);
    }

    [Fact]
    public void HeaderHasTrailingContent()
    {
        var e = Fails(RawSafetensors.Build("{} {}", []));
        Assert.Contains("not valid UTF-8 JSON", e.Message);
    }

    [Fact]
    public void HeaderIsNotUtf8()
    {
        byte[] bytes = RawSafetensors.Build("{\"w\":1}", []);
        bytes[10] = 0xFF;
        var e = Fails(bytes);
        Assert.Contains("not valid UTF-8", e.Message);
    }

    [Fact]
    public void EntryIsNotAnObject()
    {
        var e = Fails(RawSafetensors.Build("{\"w\":1}", []));
        Assert.Contains("tensor 'w' is described by a JSON Number", e.Message);
    }

    [Fact]
    public void HeaderIsNotAnObject()
    {
        var e = Fails(RawSafetensors.Build("[1, 2]", []));
        Assert.Contains("not an object", e.Message);
    }

    [Fact]
    public void UnknownDType()
    {
        var e = Fails(One("""{"dtype":"F4","shape":[2],"data_offsets":[0,1]}""", [0]));
        Assert.Contains("tensor 'w'", e.Message);
        Assert.Contains("unknown dtype 'F4'", e.Message);
    }

    [Fact]
    public void ShapeDisagreesWithTheByteRange()
    {
        var e = Fails(One("""{"dtype":"F32","shape":[2, 3],"data_offsets":[0,16]}""", RawSafetensors.Floats(1, 2, 3, 4)));
        Assert.Contains("tensor 'w' is F32 [2, 3] (24 bytes)", e.Message);
        Assert.Contains("span 16 bytes", e.Message);
    }

    [Fact]
    public void DTypeDisagreesWithTheByteRange()
    {
        var e = Fails(One("""{"dtype":"F64","shape":[4],"data_offsets":[0,16]}""", RawSafetensors.Floats(1, 2, 3, 4)));
        Assert.Contains("F64 [4] (32 bytes)", e.Message);
    }

    [Fact]
    public void OverlappingTensors()
    {
        var e = Fails(RawSafetensors.Build(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            RawSafetensors.Floats(1, 2, 3)));
        Assert.Contains("tensor 'b'", e.Message);
        Assert.Contains("overlapping tensor 'a'", e.Message);
    }

    [Theory]
    [InlineData("[8, 0]")]
    [InlineData("[-4, 0]")]
    [InlineData("[0]")]
    [InlineData("[0, \"4\"]")]
    public void MalformedOffsets(string offsets)
    {
        var e = Fails(One($$"""{"dtype":"F32","shape":[1],"data_offsets":{{offsets}}}""", RawSafetensors.Floats(1, 2)));
        Assert.Contains("tensor 'w'", e.Message);
        Assert.Contains("data_offsets", e.Message);
    }

    [Theory]
    [InlineData("[-1]", "dimension 0")]
    [InlineData("[1.5]", "dimension 0")]
    [InlineData("[1, 1, 1, 1, 1, 1]", "6 dimensions")]
    [InlineData("[65536, 65536]", "more than")]
    [InlineData("\"4\"", "no 'shape' array")]
    public void MalformedShapes(string shape, string problem)
    {
        var e = Fails(One($$"""{"dtype":"F32","shape":{{shape}},"data_offsets":[0,4]}""", RawSafetensors.Floats(1)));
        Assert.Contains("tensor 'w'", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void MissingDType()
    {
        var e = Fails(One("""{"shape":[1],"data_offsets":[0,4]}""", RawSafetensors.Floats(1)));
        Assert.Contains("no string 'dtype'", e.Message);
    }

    [Fact]
    public void DuplicateNames()
    {
        var e = Fails(RawSafetensors.Build(
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
            RawSafetensors.Floats(1, 2)));
        Assert.Contains("'a' twice", e.Message);
    }

    [Fact]
    public void MetadataMustBeStrings()
    {
        var e = Fails(RawSafetensors.Build("""{"__metadata__":{"epoch":3}}""", []));
        Assert.Contains("metadata 'epoch'", e.Message);
    }

    [Fact]
    public void MissingFileAndMissingTensor()
    {
        Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));
        var file = SafetensorsFile.Parse(One("""{"dtype":"F32","shape":[1],"data_offsets":[0,4]}""", RawSafetensors.Floats(1)), File);
        var e = Assert.Throws<KeyNotFoundException>(() => file.ReadTensor("v"));
        Assert.Contains("no tensor 'v'", e.Message);
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void EmptyTensorsAndEmptyHeadersAreValid()
    {
        var file = SafetensorsFile.Parse(RawSafetensors.Build(
            """{"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""",
            RawSafetensors.Floats(5)));
        Assert.Empty(file.ReadTensor("e").ToArray());
        Assert.Equal([5f], file.ReadTensor("w").ToArray());
        Assert.Empty(SafetensorsFile.Parse(RawSafetensors.Build("{}", [])).Entries);
    }
}
