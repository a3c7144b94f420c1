using System.IO.Compression;
using System.Security.Cryptography;

namespace Cohort.Data.Fetch;

/// <summary>SHA-256 of a file's content, decompressed first when it is gzip (detected by its magic bytes).</summary>
internal static class ContentHash
{
    public static string Sha256(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using Stream content = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;
            return Convert.ToHexStringLower(SHA256.HashData(content));
        }
        catch (InvalidDataException e)
        {
            throw new FetchException($"{path}: corrupt gzip data ({e.Message}).");
        }
    }

    /// <summary>Whether the stream starts with the gzip magic (1f 8b); the position is restored.</summary>
    public static bool IsGzip(Stream stream)
    {
        long start = stream.Position;
        int a = stream.ReadByte();
        int b = stream.ReadByte();
        stream.Position = start;
        return a == 0x1f && b == 0x8b;
    }
}
