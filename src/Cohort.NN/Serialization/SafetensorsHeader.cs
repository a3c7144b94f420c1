using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;
using Cohort.Tensors;

namespace Cohort.NN.Serialization;

/// <summary>
/// Parses and validates a safetensors header against the file it came from, so that reading a
/// tensor afterwards can never run outside the data or disagree with its declared size.
/// </summary>
internal sealed class SafetensorsHeader
{
    private const string MetadataKey = "__metadata__";

    private SafetensorsHeader(long dataStart, List<SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        DataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>Offset of the data section in the file (8 + header length).</summary>
    public long DataStart { get; }

    /// <summary>Entries in header order.</summary>
    public List<SafetensorsEntry> Entries { get; }

    public Dictionary<string, string> Metadata { get; }

    public static SafetensorsHeader Parse(string path, ReadOnlySpan<byte> file)
    {
        if (file.Length < 8)
        {
            throw Error(path, $"is {file.Length} bytes long, shorter than the 8-byte header length; the file is truncated or not safetensors.");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        long available = file.Length - 8;
        if (headerLength > (ulong)available)
        {
            throw Error(path, $"declares a header of {headerLength} bytes but only {available} bytes follow the length; the file is truncated or not safetensors.");
        }
        long dataStart = 8 + (long)headerLength;
        long dataLength = file.Length - dataStart;
        var root = ParseJson(path, file.Slice(8, (int)headerLength));
        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw Error(path, $"names tensor '{property.Name}' twice in its header.");
            }
            if (property.Name == MetadataKey)
            {
                ReadMetadata(path, property.Value, metadata);
            }
            else
            {
                entries.Add(ReadEntry(path, property.Name, property.Value, dataLength));
            }
        }
        CheckOverlaps(path, entries);
        return new SafetensorsHeader(dataStart, entries, metadata);
    }

    private static JsonElement ParseJson(string path, ReadOnlySpan<byte> json)
    {
        // The JSON reader checks UTF-8 in structure but not inside strings until they are read.
        if (!Utf8.IsValid(json))
        {
            throw Error(path, "has a header that is not valid UTF-8.");
        }
        try
        {
            // Parse rejects anything after the object but whitespace (the padding); a clone outlives the document.
            using var document = JsonDocument.Parse(json.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, $"has a header that is a JSON {document.RootElement.ValueKind}, not an object.");
            }
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new SafetensorsException($"Safetensors file '{path}' has a header that is not valid UTF-8 JSON: {e.Message}", e);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"has '{MetadataKey}' of JSON type {value.ValueKind}; it must be an object of strings.");
        }
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Error(path, $"has metadata '{item.Name}' of JSON type {item.Value.ValueKind}; metadata values must be strings.");
            }
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(string path, string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw TensorError(path, name, $"is described by a JSON {value.ValueKind}, not an object with dtype, shape and data_offsets.");
        }
        var dtype = ReadDType(path, name, value);
        var shape = ReadShape(path, name, value);
        var (begin, end) = ReadOffsets(path, name, value);
        if (end > dataLength)
        {
            throw TensorError(path, name, $"has data_offsets [{begin}, {end}] beyond the {dataLength} bytes of data; the file is truncated or the offsets are wrong.");
        }
        long expected = (long)shape.Size * dtype.ElementSize();
        if (end - begin != expected)
        {
            throw TensorError(path, name, $"is {dtype.Name()} {shape} ({expected} bytes) but its data_offsets [{begin}, {end}] span {end - begin} bytes.");
        }
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    private static SafetensorsDType ReadDType(string path, string name, JsonElement value)
    {
        if (!value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String)
        {
            throw TensorError(path, name, "has no string 'dtype'.");
        }
        string text = dtype.GetString()!;
        return SafetensorsDTypes.TryParse(text, out var parsed)
            ? parsed
            : throw TensorError(path, name, $"has unknown dtype '{text}'.");
    }

    private static Shape ReadShape(string path, string name, JsonElement value)
    {
        if (!value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array)
        {
            throw TensorError(path, name, "has no 'shape' array.");
        }
        int rank = shape.GetArrayLength();
        if (rank > Shape.MaxRank)
        {
            throw TensorError(path, name, $"has {rank} dimensions; at most {Shape.MaxRank} are supported.");
        }
        Span<int> dims = stackalloc int[Shape.MaxRank];
        long size = 1;
        int i = 0;
        foreach (var dim in shape.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt32(out int d) || d < 0)
            {
                throw TensorError(path, name, $"has shape {shape.GetRawText()}: dimension {i} is not a non-negative 32-bit integer.");
            }
            size *= d;
            if (size > int.MaxValue)
            {
                throw TensorError(path, name, $"has shape {shape.GetRawText()} with more than {int.MaxValue} elements.");
            }
            dims[i++] = d;
        }
        return Shape.Of(dims[..rank]);
    }

    private static (long Begin, long End) ReadOffsets(string path, string name, JsonElement value)
    {
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw TensorError(path, name, "has no 'data_offsets' array of two numbers [begin, end].");
        }
        if (!TryGetOffset(offsets[0], out long begin) || !TryGetOffset(offsets[1], out long end) || end < begin)
        {
            throw TensorError(path, name, $"has data_offsets {offsets.GetRawText()}; they must be integers with 0 <= begin <= end.");
        }
        return (begin, end);
    }

    private static bool TryGetOffset(JsonElement value, out long offset)
    {
        offset = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out offset) && offset >= 0;
    }

    private static void CheckOverlaps(string path, List<SafetensorsEntry> entries)
    {
        // Empty tensors occupy no bytes and cannot overlap anything.
        var byStart = entries.Where(e => e.ByteLength > 0).OrderBy(e => e.Begin).ToArray();
        for (int i = 1; i < byStart.Length; i++)
        {
            var previous = byStart[i - 1];
            var current = byStart[i];
            if (current.Begin < previous.End)
            {
                throw TensorError(path, current.Name,
                    $"has data_offsets [{current.Begin}, {current.End}] overlapping tensor '{previous.Name}' at [{previous.Begin}, {previous.End}].");
            }
        }
    }

    private static SafetensorsException Error(string path, string what) => new($"Safetensors file '{path}' {what}");

    private static SafetensorsException TensorError(string path, string name, string what) =>
        new($"Safetensors file '{path}': tensor '{name}' {what}");
}
