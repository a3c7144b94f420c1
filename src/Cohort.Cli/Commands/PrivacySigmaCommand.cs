using System.CommandLine;
using Cohort.Privacy;

namespace Cohort.Cli.Commands;

/// <summary>`cohort privacy sigma --q Q --steps T --epsilon E --delta D`: the smallest noise multiplier for which T steps stay (ε, δ)-DP.</summary>
internal static class PrivacySigmaCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var (q, steps, epsilon, delta) = (PrivacyOptions.SamplingRate(), PrivacyOptions.Steps(), PrivacyOptions.Epsilon(), PrivacyOptions.Delta());
        var (accountant, conversion) = (PrivacyOptions.AccountantKind(), PrivacyOptions.Conversion());
        var command = new Command("sigma", "the smallest noise multiplier keeping T steps within (ε, δ), one JSON line with the ε it reaches") { q, steps, epsilon, delta, accountant, conversion };
        command.SetAction(parse =>
        {
            var chosen = PrivacyOptions.Accountant(parse.GetRequiredValue(accountant), parse.GetRequiredValue(conversion));
            long count = PrivacyOptions.WholeSteps(parse.GetValue(steps));
            double target = parse.GetValue(epsilon), d = parse.GetValue(delta);
            double noise = PrivacyOptions.Checked(() => Calibration.Noise(chosen, parse.GetValue(q), count, target, d));
            var mechanism = new SampledGaussian(parse.GetValue(q), noise, count);
            PrivacyOptions.Write(io.Out, chosen, mechanism, chosen.Epsilon(mechanism, d));
            return 0;
        });
        return command;
    }
}
