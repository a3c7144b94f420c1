using System.Buffers.Binary;
using System.IO.Compression;

namespace Cohort.Data.Formats;

/// <summary>Writes IDX image and label files (optionally gzip-compressed), for exports and conversions.</summary>
internal static class IdxWriter
{
    public static void WriteImages(string path, int rows, int cols, ReadOnlySpan<byte> pixels, bool gzip)
    {
        if (rows <= 0 || cols <= 0 || pixels.Length % (rows * cols) != 0)
        {
            throw new ArgumentException($"{path}: {pixels.Length} pixels do not make whole {rows}x{cols} images.");
        }
        var header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxReader.ImageMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), pixels.Length / (rows * cols));
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), cols);
        Write(path, header, pixels, gzip);
    }

    public static void WriteLabels(string path, ReadOnlySpan<int> labels, bool gzip)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxReader.LabelMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), labels.Length);
        var body = new byte[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] > 255)
            {
                throw new ArgumentException($"{path}: label {labels[i]} at position {i} does not fit a byte.");
            }
            body[i] = (byte)labels[i];
        }
        Write(path, header, body, gzip);
    }

    private static void Write(string path, byte[] header, ReadOnlySpan<byte> body, bool gzip)
    {
        string temp = path + ".tmp";
        using (var file = File.Create(temp))
        {
            Stream stream = gzip ? new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true) : file;
            stream.Write(header);
            stream.Write(body);
            if (gzip)
            {
                stream.Dispose();
            }
        }
        File.Move(temp, path, overwrite: true);
    }
}
