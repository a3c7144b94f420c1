using System.Security.Cryptography;
using System.Text;
using Cohort.Federated.Config;

namespace Cohort.Federated.Checkpoints;

/// <summary>
/// What makes two configs the same run for a checkpoint: every resolved key but those that cannot
/// change the result (threads, since results are the same for any number; the checkpoint interval;
/// where and how much client state is kept in memory).
/// </summary>
internal static class ExperimentIdentity
{
    private static readonly string[] Neutral = ["threads", "checkpoint.every", "client_state.memory_mb", "client_state.folder"];

    /// <summary>A short hash of the keys that matter.</summary>
    public static string Of(ExperimentConfig config)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in Resolved(config))
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>The keys that matter whose values differ, as "key: a → b" (empty when the configs are the same run).</summary>
    public static IReadOnlyList<string> Differences(ExperimentConfig before, ExperimentConfig now)
    {
        var a = Resolved(before).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var b = Resolved(now).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k))
            .Select(k => $"{k}: {a.GetValueOrDefault(k) ?? "(unset)"} → {b.GetValueOrDefault(k) ?? "(unset)"}")
            .ToList();
    }

    private static IEnumerable<KeyValuePair<string, string>> Resolved(ExperimentConfig config) =>
        ExperimentKeys.All.Keys.Where(k => !Neutral.Contains(k)).Order(StringComparer.Ordinal)
            .Select(k => new KeyValuePair<string, string>(k, config.GetOptional(k)!))
            .Where(p => p.Value is not null);
}
