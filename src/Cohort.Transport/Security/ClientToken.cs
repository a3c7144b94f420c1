namespace Cohort.Transport.Security;

/// <summary>
/// Where a client's token comes from: a file (--token-file, first line) or the environment (COHORT_TOKEN), which other
/// users cannot read as they can a process's command line, or --token for trials. Exactly one of them is used.
/// </summary>
internal static class ClientToken
{
    public const string EnvironmentVariable = "COHORT_TOKEN";

    /// <summary>The token from the option, the file or the environment's value, in that order of preference; an error when none gives one or both options are given.</summary>
    public static string Resolve(string? option, string? file, string? environment)
    {
        if (option is not null && file is not null)
        {
            throw new ArgumentException("give the token once: --token or --token-file, not both.");
        }
        if (option is not null)
        {
            return option.Length > 0 ? option : throw new ArgumentException("--token is empty.");
        }
        if (file is not null)
        {
            return PrivateFile.ReadLine(file, "--token-file");
        }
        return string.IsNullOrWhiteSpace(environment)
            ? throw new ArgumentException($"no token: give --token-file FILE or set {EnvironmentVariable} (or, visible to other users, --token T); 'cohort token add' issues one.")
            : environment.Trim();
    }
}
