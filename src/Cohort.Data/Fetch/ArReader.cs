using System.Globalization;
using System.Text;

namespace Cohort.Data.Fetch;

/// <summary>
/// Reads Unix <c>ar</c> archives (the container of Debian .deb packages): an 8-byte magic, then per
/// member a 60-byte ASCII header (name, mtime, uid, gid, mode, size, "`\n") and the data padded to an
/// even length. GNU names end in '/'; BSD long names ("#1/len") put the name before the data.
/// </summary>
internal static class ArReader
{
    private const string Magic = "!<arch>\n";
    private const int HeaderSize = 60;

    /// <summary>The members' names and contents, in archive order.</summary>
    public static List<(string Name, byte[] Data)> Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static List<(string Name, byte[] Data)> Read(Stream stream, string label)
    {
        var magic = new byte[Magic.Length];
        if (stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) != magic.Length || Encoding.ASCII.GetString(magic) != Magic)
        {
            throw new FetchException($"{label}: not an ar archive (missing the \"!<arch>\" magic).");
        }
        var members = new List<(string, byte[])>();
        var header = new byte[HeaderSize];
        while (true)
        {
            long offset = stream.Position;
            int got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
            if (got == 0)
            {
                return members;
            }
            if (got != HeaderSize || header[58] != '`' || header[59] != '\n')
            {
                throw new FetchException($"{label}: truncated or corrupt ar member header at byte {offset}.");
            }
            string name = Encoding.ASCII.GetString(header, 0, 16).TrimEnd(' ');
            string sizeText = Encoding.ASCII.GetString(header, 48, 10).Trim(' ');
            if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out long size) || size > int.MaxValue)
            {
                throw new FetchException($"{label}: ar member '{name}' at byte {offset} has a bad size '{sizeText}'.");
            }
            var data = new byte[size];
            if (stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) != data.Length)
            {
                throw new FetchException($"{label}: ar member '{name}' is truncated (expected {size} bytes).");
            }
            if (size % 2 == 1)
            {
                stream.ReadByte(); // members are padded to an even length
            }
            if (name.StartsWith("#1/", StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out int nameLength)
                && nameLength <= data.Length)
            {
                name = Encoding.UTF8.GetString(data, 0, nameLength).TrimEnd('\0');
                data = data.AsSpan(nameLength).ToArray();
            }
            else if (name.Length > 1 && name.EndsWith('/'))
            {
                name = name[..^1];
            }
            members.Add((name, data));
        }
    }
}
