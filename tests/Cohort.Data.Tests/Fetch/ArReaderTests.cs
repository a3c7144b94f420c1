using System.Text;
using Cohort.Data.Fetch;

namespace Cohort.Data.Tests.Fetch;

public class ArReaderTests
{
    [Fact]
    public void ReadsMembersWithOddAndEvenSizes()
    {
        byte[] archive = ArArchive.Build([("debian-binary", "2.0\n"u8.ToArray()), ("odd.bin", [1, 2, 3]), ("empty", [])]);

        var members = ArReader.Read(new MemoryStream(archive), "test.deb");

        Assert.Equal(["debian-binary", "odd.bin", "empty"], members.Select(m => m.Name));
        Assert.Equal("2.0\n"u8.ToArray(), members[0].Data);
        Assert.Equal([1, 2, 3], members[1].Data);
        Assert.Empty(members[2].Data);
    }

    [Fact]
    public void ReadsBsdLongNames()
    {
        byte[] name = Encoding.ASCII.GetBytes("a-rather-long-member-name.txt");
        byte[] data = [.. name, .. "hello"u8];
        var archive = new MemoryStream();
        archive.Write("!<arch>\n"u8);
        archive.Write(Encoding.ASCII.GetBytes($"{"#1/" + name.Length,-16}{"0",-12}{"0",-6}{"0",-6}{"100644",-8}{data.Length,-10}`\n"));
        archive.Write(data);
        archive.Position = 0;

        var members = ArReader.Read(archive, "bsd.a");

        Assert.Equal("a-rather-long-member-name.txt", members.Single().Name);
        Assert.Equal("hello"u8.ToArray(), members.Single().Data);
    }

    [Fact]
    public void RejectsMissingMagicAndTruncatedMembers()
    {
        var notAr = Assert.Throws<FetchException>(() => ArReader.Read(new MemoryStream("hello, world"u8.ToArray()), "x.deb"));
        Assert.Contains("x.deb", notAr.Message);

        byte[] archive = ArArchive.Build([("data.tar.xz", new byte[100])]);
        var truncated = Assert.Throws<FetchException>(() => ArReader.Read(new MemoryStream(archive[..^10]), "y.deb"));
        Assert.Contains("y.deb", truncated.Message);
        Assert.Contains("data.tar.xz", truncated.Message);
    }
}
