namespace Cohort.Transport.Client;

/// <summary>How a client joins a run: the server, its credential, its data and whom to trust.</summary>
internal sealed record JoinOptions
{
    public required Uri Server { get; init; }

    public required string Token { get; init; }

    public required string DataPath { get; init; }

    /// <summary>A separate test folder (or CSV file); without it the test split comes from the data itself.</summary>
    public string? TestPath { get; init; }

    /// <summary>Where the client keeps its state between rounds and restarts; null: runs/join-RUN-clientID under the working folder.</summary>
    public string? StateFolder { get; init; }

    /// <summary>A PEM certificate authority to check the server against (instead of the system's).</summary>
    public string? CaPath { get; init; }

    /// <summary>How long one task poll may wait on the server.</summary>
    public int PollSeconds { get; init; } = 20;

    /// <summary>How long the client keeps retrying while the server cannot be reached (it may be restarting).</summary>
    public TimeSpan RetryWindow { get; init; } = TimeSpan.FromMinutes(2);
}
