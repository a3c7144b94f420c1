using Cohort.NN.Serialization;
using Cohort.Tensors;

namespace Cohort.NN.Tests.Serialization;

/// <summary>Damaged files either read or fail with <see cref="SafetensorsException"/>, never an index or JSON exception.</summary>
public class SafetensorsCorruptionTests
{
    private static byte[] Valid()
    {
        using var dir = new TempDirectory();
        string path = dir.File("v.safetensors");
        SafetensorsWriter.Write(path,
        [
            KeyValuePair.Create("a", Tensor.FromArray([1f, 2f, 3f], new Shape(3))),
            KeyValuePair.Create("b", Tensor.FromArray([4f, 5f, 6f, 7f], new Shape(2, 2))),
        ], new Dictionary<string, string> { ["k"] = "v" });
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void EveryTruncationFailsCleanly()
    {
        byte[] valid = Valid();
        for (int length = 0; length < valid.Length; length++)
        {
            Assert.Throws<SafetensorsException>(() => SafetensorsFile.Parse(valid[..length], "cut.safetensors"));
        }
    }

    [Fact]
    public void ByteFlipsReadOrFailCleanly()
    {
        byte[] valid = Valid();
        var random = new Random(5);
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] bytes = valid.ToArray();
            int at = random.Next(bytes.Length);
            bytes[at] = (byte)random.Next(256);
            try
            {
                var file = SafetensorsFile.Parse(bytes, "flipped.safetensors");
                foreach (var entry in file.Entries)
                {
                    file.ReadTensor(entry.Name);
                }
            }
            catch (SafetensorsException)
            {
            }
        }
    }
}
