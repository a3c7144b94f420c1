namespace Cohort.Cli;

/// <summary>The command line itself is wrong (unknown command or option, missing value).</summary>
internal sealed class UsageException(string message) : Exception(message);
