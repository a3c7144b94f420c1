using Cohort.Data.Formats;

namespace Cohort.Data.Tests;

public class IdxTests
{
    [Fact]
    public void ReadsMnistFromTheSharedFolder()
    {
        var data = ImageFolder.Load(SharedData.Mnist, "mnist");
        Assert.Equal(60_000, data.Train.Count);
        Assert.Equal(10_000, data.Test.Count);
        Assert.Equal(784, data.Train.SampleSize);
        Assert.Equal(10, data.Train.Classes);
        Assert.Equal(5, data.Train.Labels[0]); // the first MNIST training digit is a 5
        Assert.All(data.Train.Sample(0).ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(1f, data.Train.Sample(0).ToArray().Max());
        Assert.All(data.Train.LabelCounts(), c => Assert.InRange(c, 5_000, 7_000));
    }

    [Fact]
    public void RoundTripsRawAndGzipFiles()
    {
        string dir = Directory.CreateTempSubdirectory("idx").FullName;
        try
        {
            byte[] pixels = Enumerable.Range(0, 3 * 2 * 2).Select(i => (byte)(i * 20)).ToArray();
            IdxWriter.WriteImages(Path.Combine(dir, "a"), 2, 2, pixels, gzip: false);
            IdxWriter.WriteImages(Path.Combine(dir, "b"), 2, 2, pixels, gzip: true);
            IdxWriter.WriteLabels(Path.Combine(dir, "l"), [1, 2, 9], gzip: true);
            Assert.Equal(pixels, IdxReader.ReadImages(Path.Combine(dir, "a")).Pixels);
            var b = IdxReader.ReadImages(Path.Combine(dir, "b"));
            Assert.Equal((3, 2, 2), (b.Count, b.Rows, b.Cols));
            Assert.Equal(pixels, b.Pixels);
            Assert.Equal([1, 2, 9], IdxReader.ReadLabels(Path.Combine(dir, "l")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void BadFilesNameTheFileAndTheProblem()
    {
        string dir = Directory.CreateTempSubdirectory("idx").FullName;
        try
        {
            string path = Path.Combine(dir, "bad");
            IdxWriter.WriteImages(path, 2, 2, new byte[8], gzip: false);
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..^1]);
            var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("2 images of 2x2", e.Message);
            e = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path));
            Assert.Contains("not an IDX label file", e.Message);
            Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(Path.Combine(dir, "missing")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
