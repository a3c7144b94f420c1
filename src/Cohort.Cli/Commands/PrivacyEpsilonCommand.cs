using System.CommandLine;

namespace Cohort.Cli.Commands;

/// <summary>`cohort privacy epsilon --q Q --sigma S --steps T --delta D`: the ε that T steps of the Poisson-subsampled Gaussian spend at δ.</summary>
internal static class PrivacyEpsilonCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        return PrivacyOptions.GuaranteeCommand(io, "epsilon", "the ε spent by T steps of the subsampled Gaussian at δ, one JSON line",
            PrivacyOptions.Delta(), (accountant, mechanism, delta) => accountant.Epsilon(mechanism, delta));
    }
}
