using Cohort.Tensors;

namespace Cohort.NN.Serialization;

/// <summary>
/// A safetensors file read into memory with its header validated: every tensor's byte range lies
/// inside the data, matches its shape and type, and overlaps no other.
/// </summary>
internal sealed class SafetensorsFile
{
    private readonly byte[] _bytes;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafetensorsEntry> _byName;

    private SafetensorsFile(string path, byte[] bytes, SafetensorsHeader header)
    {
        Path = path;
        _bytes = bytes;
        _dataStart = header.DataStart;
        Entries = header.Entries;
        Metadata = header.Metadata;
        _byName = header.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The file this was read from (used in error messages).</summary>
    public string Path { get; }

    /// <summary>Tensors in header order.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The optional "__metadata__" string map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IEnumerable<string> Names => Entries.Select(e => e.Name);

    public static SafetensorsFile Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"Safetensors file '{path}' does not exist.", path);
        }
        if (info.Length > Array.MaxLength)
        {
            throw new SafetensorsException($"Safetensors file '{path}' is {info.Length} bytes; files over {Array.MaxLength} bytes are not supported.");
        }
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses a whole file held in memory; <paramref name="path"/> only names it in messages.</summary>
    public static SafetensorsFile Parse(byte[] bytes, string path = "<memory>")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new SafetensorsFile(path, bytes, SafetensorsHeader.Parse(path, bytes));
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public SafetensorsEntry Entry(string name) => _byName.TryGetValue(name, out var entry)
        ? entry
        : throw new KeyNotFoundException($"Safetensors file '{Path}' has no tensor '{name}'; it has {Entries.Count}: {Summary()}.");

    /// <summary>A tensor as float32 (F64, F16 and BF16 converted); other types are an error naming the tensor.</summary>
    public Tensor ReadTensor(string name)
    {
        var entry = Entry(name);
        var tensor = new Tensor(entry.Shape, name);
        Decode(entry, tensor.Data);
        return tensor;
    }

    /// <summary>Decodes a tensor into <paramref name="destination"/>, which must hold exactly its elements.</summary>
    public void ReadInto(string name, Span<float> destination)
    {
        var entry = Entry(name);
        if (destination.Length != entry.Shape.Size)
        {
            throw new ArgumentException($"Safetensors file '{Path}': tensor '{name}' {entry.Shape} has {entry.Shape.Size} elements; the destination holds {destination.Length}.");
        }
        Decode(entry, destination);
    }

    private void Decode(SafetensorsEntry entry, Span<float> destination)
    {
        if (!entry.DType.IsReadableAsFloat())
        {
            throw new SafetensorsException($"Safetensors file '{Path}': tensor '{entry.Name}' has dtype {entry.DType.Name()}; only F32, F64, F16 and BF16 can be read as float.");
        }
        var bytes = _bytes.AsSpan(checked((int)(_dataStart + entry.Begin)), checked((int)entry.ByteLength));
        FloatDecoding.Decode(entry.DType, bytes, destination);
    }

    private string Summary()
    {
        const int shown = 8;
        var names = string.Join(", ", Entries.Take(shown).Select(e => $"'{e.Name}'"));
        return Entries.Count > shown ? names + ", …" : names;
    }
}
