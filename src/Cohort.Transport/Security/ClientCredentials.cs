using System.Security.Cryptography;
using System.Text;

namespace Cohort.Transport.Security;

/// <summary>Maps bearer tokens to client ids, comparing hashes in fixed time so a wrong token reveals nothing about a right one.</summary>
internal sealed class ClientCredentials
{
    private readonly (byte[] Hash, int Client)[] _entries;

    public ClientCredentials(IReadOnlyDictionary<int, string> tokens) =>
        _entries = tokens.Select(t => (Hash(t.Value), t.Key)).ToArray();

    /// <summary>No tokens: no client is accepted.</summary>
    public static ClientCredentials None { get; } = new(new Dictionary<int, string>());

    public int Count => _entries.Length;

    /// <summary>The client a token belongs to, or null.</summary>
    public int? Find(string token)
    {
        var hash = Hash(token);
        int? found = null;
        foreach (var (expected, client) in _entries)
        {
            // Every entry is compared, match or not.
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                found = client;
            }
        }
        return found;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
