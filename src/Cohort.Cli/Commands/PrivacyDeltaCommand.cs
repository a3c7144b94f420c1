using System.CommandLine;

namespace Cohort.Cli.Commands;

/// <summary>`cohort privacy delta --q Q --sigma S --steps T --epsilon E`: the δ at which T steps of the Poisson-subsampled Gaussian are ε-DP.</summary>
internal static class PrivacyDeltaCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        return PrivacyOptions.GuaranteeCommand(io, "delta", "the δ of T steps of the subsampled Gaussian at ε, one JSON line",
            PrivacyOptions.Epsilon(), (accountant, mechanism, epsilon) => accountant.Delta(mechanism, epsilon));
    }
}
