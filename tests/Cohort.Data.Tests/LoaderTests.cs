using Cohort.Data.Formats;

namespace Cohort.Data.Tests;

public class LoaderTests
{
    [Fact]
    public void SyntheticFollowsLeafsRecipe()
    {
        var data = SyntheticData.Generate(1, 1, clients: 30, seed: 1);
        Assert.Equal(60, data.Train.SampleSize);
        Assert.Equal(10, data.Train.Classes);
        Assert.Equal(30, data.Train.ClientNames!.Count);
        var perClient = data.Train.ClientIds!.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(30, perClient.Count);
        Assert.All(perClient.Values, n => Assert.True(n >= 45));
        // Same seed, same data; different α changes it.
        Assert.Equal(data.Train.Features, SyntheticData.Generate(1, 1, 30, 1).Train.Features);
        Assert.NotEqual(data.Train.Labels, SyntheticData.Generate(0, 0, 30, 1).Train.Labels);
        // Non-IID: clients' label distributions differ markedly.
        var majority = Enumerable.Range(0, 30).Select(k =>
            data.Train.Labels.Where((_, i) => data.Train.ClientIds![i] == k).GroupBy(y => y).MaxBy(g => g.Count())!.Key).Distinct().Count();
        Assert.True(majority >= 3);
    }

    [Fact]
    public void CsvWithHeaderAndClientColumn()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "user,x1,label,x2\nalice,0.5,1,2\nbob,1.5,0,-1\nalice,\"3\",2,4e-1\n");
            var data = CsvData.Load(path, "label", "user");
            Assert.Equal(3, data.Count);
            Assert.Equal(2, data.SampleSize);
            Assert.Equal([1, 0, 2], data.Labels);
            Assert.Equal([0, 1, 0], data.ClientIds!);
            Assert.Equal(["alice", "bob"], data.ClientNames);
            Assert.Equal([3f, 0.4f], data.Sample(2).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CsvErrorsNameLineAndColumn()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "label,a,b\n1,2,3\n0,x,3\n");
            var e = Assert.Throws<DataFormatException>(() => CsvData.Load(path));
            Assert.Contains("line 3, column 2", e.Message);
            File.WriteAllText(path, "label,a,b\n1,2\n");
            Assert.Contains("line 2: 2 columns, expected 3", Assert.Throws<DataFormatException>(() => CsvData.Load(path)).Message);
            File.WriteAllText(path, "y,a\n1,2\n");
            Assert.Contains("no label column 'label'", Assert.Throws<DataFormatException>(() => CsvData.Load(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TextWindowsPredictTheNextCharacter()
    {
        Assert.Equal(80, TextData.Alphabet.Length);
        var data = TextData.Build("t", [("a", "abcdefghij"), ("b", "0123456789xyz")], testFraction: 0.25, stride: 1, sequenceLength: 4);
        // Client a: 6 windows (targets e..j), 4 train + 2 test (rounded); client b: 9 windows.
        Assert.Equal(TextData.Encode('e'), data.Train.Labels[0]);
        Assert.Equal([TextData.Encode('a'), TextData.Encode('b'), TextData.Encode('c'), TextData.Encode('d')], data.Train.Sample(0).ToArray().Select(v => (int)v));
        Assert.Equal(6 + 9, data.Train.Count + data.Test.Count);
        Assert.Equal(TextData.Unknown, TextData.Encode('\t'));
        Assert.Equal(81, data.Train.Classes);
    }

    [Fact]
    public void FortunesFolderGivesOneClientPerCategory()
    {
        var data = TextData.Load(SharedData.Fortunes, stride: 40);
        Assert.Equal(40, data.Train.ClientNames!.Count);
        Assert.Contains("computers", data.Train.ClientNames);
        Assert.True(data.Train.Count > 40_000);
        Assert.True(data.Test.Count > 10_000);
    }
}
