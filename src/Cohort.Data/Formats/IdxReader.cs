using System.Buffers.Binary;
using System.IO.Compression;

namespace Cohort.Data.Formats;

/// <summary>
/// Reads IDX files (the MNIST distribution format: big-endian header, magic 2051 for unsigned-byte
/// images [n, rows, cols], 2049 for labels [n]), raw or gzip-compressed (detected by content).
/// </summary>
internal static class IdxReader
{
    public const int ImageMagic = 2051;
    public const int LabelMagic = 2049;

    /// <summary>Image bytes, row-major [n, rows, cols].</summary>
    public static (int Count, int Rows, int Cols, byte[] Pixels) ReadImages(string path)
    {
        byte[] data = ReadAll(path);
        RequireHeader(path, data, 16);
        int magic = BinaryPrimitives.ReadInt32BigEndian(data);
        if (magic != ImageMagic)
        {
            throw new DataFormatException($"{path}: magic number {magic} is not an IDX image file ({ImageMagic}).");
        }
        int n = Dimension(path, data, 4, "count");
        int rows = Dimension(path, data, 8, "rows");
        int cols = Dimension(path, data, 12, "columns");
        long expected = 16 + (long)n * rows * cols;
        if (data.Length != expected)
        {
            throw new DataFormatException($"{path}: header says {n} images of {rows}x{cols} ({expected} bytes) but the file has {data.Length} bytes.");
        }
        return (n, rows, cols, data.AsSpan(16).ToArray());
    }

    public static int[] ReadLabels(string path)
    {
        byte[] data = ReadAll(path);
        RequireHeader(path, data, 8);
        int magic = BinaryPrimitives.ReadInt32BigEndian(data);
        if (magic != LabelMagic)
        {
            throw new DataFormatException($"{path}: magic number {magic} is not an IDX label file ({LabelMagic}).");
        }
        int n = Dimension(path, data, 4, "count");
        if (data.Length != 8L + n)
        {
            throw new DataFormatException($"{path}: header says {n} labels but the file has {data.Length - 8} label bytes.");
        }
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = data[8 + i];
        }
        return labels;
    }

    /// <summary>The file's bytes, decompressed when it is gzip (magic 1f 8b).</summary>
    public static byte[] ReadAll(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b)
        {
            try
            {
                using var gz = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
                using var output = new MemoryStream();
                gz.CopyTo(output);
                return output.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException($"{path}: corrupt gzip data ({e.Message}).");
            }
        }
        return raw;
    }

    private static void RequireHeader(string path, byte[] data, int bytes)
    {
        if (data.Length < bytes)
        {
            throw new DataFormatException($"{path}: {data.Length} bytes is too short for an IDX header ({bytes} bytes).");
        }
    }

    private static int Dimension(string path, byte[] data, int offset, string what)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(offset));
        if (value < 0)
        {
            throw new DataFormatException($"{path}: negative {what} ({value}) in the header.");
        }
        return value;
    }
}
