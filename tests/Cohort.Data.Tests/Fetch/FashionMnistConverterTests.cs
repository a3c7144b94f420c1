using Cohort.Data.Fetch;
using Cohort.Data.Formats;

namespace Cohort.Data.Tests.Fetch;

public class FashionMnistConverterTests
{
    // Pixel value of record r of class c in the synthetic package: distinct for each (class, record).
    private static byte Value(int c, int r) => (byte)(c * 10 + r);

    [Fact]
    public void ConvertsThePackagesJsonLayoutToInterleavedIdx()
    {
        using var temp = new TempFolder();
        string clothes = WritePackage(temp.Combine("package"), perClass: 3);
        string output = Directory.CreateDirectory(temp.Combine("out")).FullName;

        Assert.Equal(clothes, FashionMnistConverter.FindClassFolder(temp.Path));
        FashionMnistConverter.Convert(clothes, output, trainPerClass: 2);

        var train = IdxReader.ReadImages(Path.Combine(output, "train-images-idx3-ubyte.gz"));
        var test = IdxReader.ReadImages(Path.Combine(output, "t10k-images-idx3-ubyte.gz"));
        Assert.Equal((20, 28, 28), (train.Count, train.Rows, train.Cols));
        Assert.Equal(10, test.Count);
        int[] trainLabels = IdxReader.ReadLabels(Path.Combine(output, "train-labels-idx1-ubyte.gz"));
        int[] testLabels = IdxReader.ReadLabels(Path.Combine(output, "t10k-labels-idx1-ubyte.gz"));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i % 10), trainLabels);
        Assert.Equal(Enumerable.Range(0, 10), testLabels);
        for (int row = 0; row < 20; row++)
        {
            Assert.All(train.Pixels.AsSpan(row * 784, 784).ToArray(), p => Assert.Equal(Value(row % 10, row / 10), p));
        }
        for (int row = 0; row < 10; row++)
        {
            Assert.All(test.Pixels.AsSpan(row * 784, 784).ToArray(), p => Assert.Equal(Value(row, 2), p));
        }
    }

    [Fact]
    public void RejectsClassesOfDifferentSizes()
    {
        using var temp = new TempFolder();
        string clothes = WritePackage(temp.Combine("package"), perClass: 3);
        File.WriteAllText(Path.Combine(clothes, "4.json"), Json(4, 2, empties: false));

        var error = Assert.Throws<FetchException>(() => FashionMnistConverter.Convert(clothes, temp.Path, trainPerClass: 2));

        Assert.Contains("4.json", error.Message);
    }

    [Fact]
    public void RejectsRecordsOfTheWrongLength()
    {
        using var temp = new TempFolder();
        string clothes = WritePackage(temp.Combine("package"), perClass: 3);
        File.WriteAllText(Path.Combine(clothes, "7.json"), """{"data":[[1,2,3]]}""");

        var error = Assert.Throws<FetchException>(() => FashionMnistConverter.Convert(clothes, temp.Path, trainPerClass: 2));

        Assert.Contains("7.json", error.Message);
        Assert.Contains("3 values", error.Message);
    }

    /// <summary>The package's layout: package/src/clothes/&lt;class&gt;.json; class 0 has empty records, as the real one.</summary>
    private static string WritePackage(string root, int perClass)
    {
        string clothes = Directory.CreateDirectory(Path.Combine(root, "src", "clothes")).FullName;
        for (int c = 0; c < 10; c++)
        {
            File.WriteAllText(Path.Combine(clothes, $"{c}.json"), Json(c, perClass, empties: c == 0));
        }
        File.WriteAllText(Path.Combine(root, "package.json"), """{"name":"fashion-mnist","version":"1.1.0"}""");
        return clothes;
    }

    private static string Json(int c, int records, bool empties)
    {
        var rows = Enumerable.Range(0, records).Select(r => $"[{string.Join(',', Enumerable.Repeat(Value(c, r), 784))}]").ToList();
        if (empties)
        {
            rows.Insert(1, "[]");
            rows.Add("[]");
        }
        return $"{{\"data\":[{string.Join(',', rows)}]}}";
    }
}
