using System.Globalization;
using System.Runtime.InteropServices;
using Cohort.Federated.State;

namespace Cohort.Transport.Client;

/// <summary>
/// A deployed client's own state (SCAFFOLD's cᵢ, DIANA's hᵢ, error-feedback residuals, …) in a folder,
/// so a restarted client goes on from it. Vectors a round has made final are `NAME.f32`; what an exchange
/// writes while training goes to `staged/r{round}-e{exchange}/` and becomes final only once the server
/// has moved past that round, which it does only with the round complete. An exchange asked for again
/// (the server restarted inside the round, or the upload was refused) drops what it and later exchanges
/// wrote, so training it again starts from the state it first started from and gives the same update.
/// </summary>
internal sealed class ClientStateFolder : IClientStateStore
{
    private const string Extension = ".f32";
    private readonly string _folder;
    private readonly string _staged;
    private readonly int _client;
    private int _round;
    private int _exchange;

    public ClientStateFolder(string folder, int client)
    {
        _folder = Directory.CreateDirectory(folder).FullName;
        _staged = Path.Combine(_folder, "staged");
        _client = client;
    }

    public string Folder => _folder;

    public long BytesInMemory => 0;

    /// <summary>
    /// Starts exchange <paramref name="exchange"/> of round <paramref name="round"/>: earlier rounds' staged
    /// vectors become final (the server moved on, so that round is complete), and this exchange's and later
    /// ones' are dropped.
    /// </summary>
    public void Begin(int round, int exchange)
    {
        foreach (var (r, e, path) in Layers())
        {
            if (r < round)
            {
                Commit(path);
            }
            else if (r > round || e >= exchange)
            {
                Directory.Delete(path, recursive: true);
            }
        }
        _round = round;
        _exchange = exchange;
    }

    /// <summary>The server refused this exchange's upload: what training it wrote is dropped.</summary>
    public void Drop(int round, int exchange)
    {
        string path = LayerPath(round, exchange);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    public bool TryRead(int client, ClientVector vector, Span<float> destination)
    {
        CheckClient(client);
        string name = vector.Name;
        // The newest first: this round's exchanges from the current one down, then the final state.
        for (int e = _exchange; e >= 0; e--)
        {
            if (TryReadFile(Path.Combine(LayerPath(_round, e), FileName(name)), name, destination))
            {
                return true;
            }
        }
        return TryReadFile(Path.Combine(_folder, FileName(name)), name, destination);
    }

    public void Write(int client, ClientVector vector, ReadOnlySpan<float> value)
    {
        CheckClient(client);
        string name = vector.Name;
        string layer = Directory.CreateDirectory(LayerPath(_round, _exchange)).FullName;
        string path = Path.Combine(layer, FileName(name));
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(MemoryMarshal.AsBytes(value));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Writes the final vectors (not the staged ones) as a <see cref="ClientStateFile"/>.</summary>
    public void Save(Stream destination)
    {
        var entries = Directory.EnumerateFiles(_folder, "*" + Extension).Order(StringComparer.Ordinal)
            .Select(path => (_client, Path.GetFileNameWithoutExtension(path), (int)(new FileInfo(path).Length / 4))).ToList();
        ClientStateFile.Write(destination, entries, (key, values) =>
        {
            using var stream = File.OpenRead(Path.Combine(_folder, FileName(key.Name)));
            stream.ReadExactly(MemoryMarshal.AsBytes(values));
        });
    }

    /// <summary>Replaces the folder's vectors, final and staged, by a saved store's (checked whole first: a damaged one changes nothing).</summary>
    public void Restore(Stream source, string origin)
    {
        ClientStateFile.Read(source, origin, () =>
        {
            foreach (string file in Directory.EnumerateFiles(_folder, "*" + Extension))
            {
                File.Delete(file);
            }
            if (Directory.Exists(_staged))
            {
                Directory.Delete(_staged, recursive: true);
            }
        }, (client, name, values) =>
        {
            CheckClient(client);
            string path = Path.Combine(_folder, FileName(name));
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
            stream.Write(MemoryMarshal.AsBytes(values));
            stream.Flush(flushToDisk: true);
        });
    }

    /// <summary>Moves one staged exchange's vectors over the final ones, then removes it (done again after a crash, to the same end).</summary>
    private void Commit(string layer)
    {
        foreach (string file in Directory.EnumerateFiles(layer, "*" + Extension))
        {
            File.Move(file, Path.Combine(_folder, Path.GetFileName(file)), overwrite: true);
        }
        Directory.Delete(layer, recursive: true);
    }

    /// <summary>The staged exchanges on disk, oldest first.</summary>
    private IEnumerable<(int Round, int Exchange, string Path)> Layers()
    {
        if (!Directory.Exists(_staged))
        {
            return [];
        }
        var layers = new List<(int, int, string)>();
        foreach (string path in Directory.EnumerateDirectories(_staged))
        {
            string[] parts = Path.GetFileName(path).Split('-');
            if (parts.Length == 2 && parts[0].StartsWith('r') && parts[1].StartsWith('e')
                && int.TryParse(parts[0][1..], NumberStyles.None, CultureInfo.InvariantCulture, out int round)
                && int.TryParse(parts[1][1..], NumberStyles.None, CultureInfo.InvariantCulture, out int exchange))
            {
                layers.Add((round, exchange, path));
            }
        }
        return layers.Order();
    }

    private string LayerPath(int round, int exchange) => Path.Combine(_staged, string.Create(CultureInfo.InvariantCulture, $"r{round}-e{exchange}"));

    private static string FileName(string name) => name + Extension;

    private static bool TryReadFile(string path, string name, Span<float> destination)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        using var stream = File.OpenRead(path);
        if (stream.Length != 4L * destination.Length)
        {
            throw new InvalidDataException($"client state {path}: {stream.Length / 4} values of '{name}', but the model has {destination.Length}; a state folder belongs to one run (use another --state folder).");
        }
        stream.ReadExactly(MemoryMarshal.AsBytes(destination));
        return true;
    }

    private void CheckClient(int client)
    {
        if (client != _client)
        {
            throw new InvalidOperationException($"the state folder {_folder} is client {_client}'s; client {client} asked for it.");
        }
    }
}
