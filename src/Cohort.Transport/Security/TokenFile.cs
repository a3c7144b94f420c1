using System.Globalization;
using System.Security.Cryptography;

namespace Cohort.Transport.Security;

/// <summary>
/// The credentials file: one client per line, "client-id token" (blank lines and # comments allowed).
/// A client id is the client's index in the experiment (0 … partition.clients − 1): it fixes the
/// client's random streams, state and sampling as in simulation.
/// </summary>
internal static class TokenFile
{
    /// <summary>Client id → token; a malformed line is an error naming the file and line.</summary>
    public static IReadOnlyDictionary<int, string> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"tokens file {path} does not exist (create one with 'cohort token add <client-id> --tokens {path}').");
        }
        var tokens = new Dictionary<int, string>();
        int number = 0;
        foreach (string raw in File.ReadLines(path))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                throw new FormatException($"{path}, line {number}: expected 'client-id token'.");
            }
            int client = ParseClientId(parts[0], $"{path}, line {number}");
            if (!tokens.TryAdd(client, parts[1]))
            {
                throw new FormatException($"{path}, line {number}: client {client} is listed twice.");
            }
        }
        return tokens;
    }

    /// <summary>Issues a new random token for a client, adds it to the file (created if missing) and returns it.</summary>
    public static string Add(string path, int client)
    {
        var existing = File.Exists(path) ? Load(path) : new Dictionary<int, string>();
        if (existing.ContainsKey(client))
        {
            throw new InvalidOperationException($"{path}: client {client} already has a token.");
        }
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        bool created = !File.Exists(path);
        File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture, $"{client} {token}\n"));
        if (created && !OperatingSystem.IsWindows())
        {
            // Credentials: readable by their owner only.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return token;
    }

    public static int ParseClientId(string text, string where) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int client)
            ? client
            : throw new FormatException($"{where}: client id '{text}' is not a non-negative integer (the client's index in the experiment).");
}
