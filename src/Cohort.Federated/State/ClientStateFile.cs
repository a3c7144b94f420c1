using System.Runtime.InteropServices;
using Cohort.Federated.Outputs;

namespace Cohort.Federated.State;

/// <summary>
/// A client-state store saved whole: a magic line, the index's length and the index (client, name,
/// length, offset of each vector), the vectors' float32 values in index order, then a CRC-32C of
/// index and values, so a cut or damaged file is refused rather than restored.
/// </summary>
internal static class ClientStateFile
{
    private const string Magic = "cohort-client-state-1";

    /// <summary>Writes the entries; <paramref name="copy"/> fills a span with one entry's values.</summary>
    public static void Write(Stream destination, IReadOnlyList<(int Client, string Name, int Length)> entries, Action<(int Client, string Name), Span<float>> copy)
    {
        var index = new MemoryStream();
        using (var writer = new BinaryWriter(index, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(entries.Count);
            long offset = 0;
            foreach (var (client, name, length) in entries)
            {
                writer.Write(client);
                writer.Write(name);
                writer.Write(length);
                writer.Write(offset);
                offset += length;
            }
        }
        using var header = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        header.Write(Magic);
        header.Write((int)index.Length);
        header.Flush();
        var indexBytes = index.GetBuffer().AsSpan(0, (int)index.Length);
        destination.Write(indexBytes);
        uint crc = Crc32C.Append(0, indexBytes);
        var buffer = new float[entries.Count == 0 ? 0 : entries.Max(e => e.Length)];
        foreach (var (client, name, length) in entries)
        {
            var values = buffer.AsSpan(0, length);
            copy((client, name), values);
            var bytes = MemoryMarshal.AsBytes(values);
            destination.Write(bytes);
            crc = Crc32C.Append(crc, bytes);
        }
        header.Write(crc);
    }

    /// <summary>
    /// Reads a saved store from a seekable stream: the checksum is verified in a first pass (a damaged file
    /// is an error naming <paramref name="origin"/> and changes nothing), then <paramref name="verified"/>
    /// is called and each vector passed to <paramref name="restore"/>.
    /// </summary>
    public static void Read(Stream source, string origin, Action verified, Action<int, string, ReadOnlySpan<float>> restore)
    {
        if (!source.CanSeek)
        {
            throw new ArgumentException("A client-state file is read in two passes: it needs a seekable stream.", nameof(source));
        }
        try
        {
            using var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
            if (reader.ReadString() != Magic)
            {
                throw Corrupt(origin, "not a client-state file");
            }
            int indexLength = reader.ReadInt32();
            if (indexLength < 4 || indexLength > source.Length - source.Position)
            {
                throw Corrupt(origin, $"an index of {indexLength} bytes");
            }
            var indexBytes = reader.ReadBytes(indexLength);
            var entries = ParseIndex(indexBytes, origin);
            long values = source.Position;
            var buffer = new float[entries.Count == 0 ? 0 : entries.Max(e => e.Length)];
            uint crc = Crc32C.Append(0, indexBytes);
            foreach (var (_, _, length) in entries)
            {
                var bytes = MemoryMarshal.AsBytes(buffer.AsSpan(0, length));
                source.ReadExactly(bytes);
                crc = Crc32C.Append(crc, bytes);
            }
            if (reader.ReadUInt32() != crc)
            {
                throw Corrupt(origin, "its checksum does not match its contents (the file is damaged)");
            }
            if (source.Position != source.Length)
            {
                throw Corrupt(origin, $"{source.Length - source.Position} bytes follow its end");
            }
            verified();
            source.Position = values;
            foreach (var (client, name, length) in entries)
            {
                var span = buffer.AsSpan(0, length);
                source.ReadExactly(MemoryMarshal.AsBytes(span));
                restore(client, name, span);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException)
        {
            throw Corrupt(origin, "the file is cut short or malformed");
        }
    }

    private static List<(int Client, string Name, int Length)> ParseIndex(byte[] bytes, string origin)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), System.Text.Encoding.UTF8);
        int count = reader.ReadInt32();
        if (count < 0 || count > bytes.Length / 14)
        {
            throw Corrupt(origin, $"an index of {count} entries in {bytes.Length} bytes");
        }
        var entries = new List<(int, string, int)>(count);
        long expected = 0;
        for (int i = 0; i < count; i++)
        {
            int client = reader.ReadInt32();
            string name = reader.ReadString();
            int length = reader.ReadInt32();
            long offset = reader.ReadInt64();
            if (client < 0 || name.Length == 0 || length < 0 || offset != expected)
            {
                throw Corrupt(origin, $"index entry {i} (client {client}, '{name}', {length} values at {offset}) is malformed");
            }
            expected += length;
            entries.Add((client, name, length));
        }
        return entries;
    }

    private static InvalidDataException Corrupt(string origin, string what) => new($"{origin}: {what}; it cannot be restored.");
}
