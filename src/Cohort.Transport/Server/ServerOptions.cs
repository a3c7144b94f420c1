namespace Cohort.Transport.Server;

/// <summary>How a deployed server listens and whom it lets in.</summary>
internal sealed record ServerOptions
{
    public required ListenAddress Listen { get; init; }

    /// <summary>A PKCS#12 file with the server's certificate and key; required for https.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>A file whose first line is the certificate file's password; null: the file beside it (FILE.password) if there is one, else no password.</summary>
    public string? CertificatePasswordPath { get; init; }

    /// <summary>Where the server's records and checkpoints live; a restart with the same folder resumes the run (none: nothing survives a restart).</summary>
    public string? StateFolder { get; init; }

    /// <summary>Client id → token; empty: no client is accepted.</summary>
    public IReadOnlyDictionary<int, string> Tokens { get; init; } = new Dictionary<int, string>();

    /// <summary>Registered clients needed before the first round (default: every client of the experiment, so sampling is as in simulation).</summary>
    public int? StartClients { get; init; }

    public RoundRules Rules { get; init; } = RoundRules.WaitForAll;

    /// <summary>Updates whose L2 norm exceeds this are refused (none when null).</summary>
    public double? MaxUpdateNorm { get; init; }

    /// <summary>Reports whose mean training loss per batch exceeds this are refused, so no one client sets a round's train_loss (none when null).</summary>
    public double? MaxMeanLoss { get; init; } = DefaultMaxMeanLoss;

    /// <summary>Far above any loss of a model that is learning (cross-entropy over 10⁴ classes starts near 9.2), far below a forged one.</summary>
    public const double DefaultMaxMeanLoss = 1000;

    /// <summary>Requests a second each credential (or, without one, each address) may make, with bursts of twice that.</summary>
    public int RequestsPerSecond { get; init; } = 20;

    /// <summary>Uploads read at once (each holds one model-sized buffer).</summary>
    public int IngestSlots { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Where the server says what it does that no request shows: resuming, a round that stalls or closes at its deadline, clients left out of evaluation (none: silent).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The longest a task poll is held open.</summary>
    public TimeSpan MaxPollWait { get; init; } = TimeSpan.FromSeconds(30);
}
