using System.CommandLine;
using System.Globalization;
using Cohort.Privacy;

namespace Cohort.Cli.Commands;

/// <summary>The options the `cohort privacy` commands share, the accountant they choose, and the one JSON line each prints.</summary>
internal static class PrivacyOptions
{
    public static Option<double> SamplingRate() => CliOptions.RequiredNumber("--q", "Q", "Poisson sampling rate: the chance a record (or client) is in a step, in [0, 1]");

    public static Option<double> Noise() => CliOptions.RequiredNumber("--sigma", "S", "noise multiplier: the noise's standard deviation over the clipping norm, at least 0");

    public static Option<double> Steps() => CliOptions.RequiredNumber("--steps", "T", "how many steps (rounds) the mechanism runs, a whole number");

    public static Option<double> Delta() => CliOptions.RequiredNumber("--delta", "D", "the δ of the (ε, δ) guarantee, in (0, 1)");

    public static Option<double> Epsilon() => CliOptions.RequiredNumber("--epsilon", "E", "the ε of the (ε, δ) guarantee, at least 0");

    public static Option<string> AccountantKind()
    {
        var option = CliOptions.Text("--accountant", "rdp|pld", "rdp: Rényi DP over dp_accounting's orders; pld: the discretised privacy loss distribution (tighter)", "rdp");
        option.AcceptOnlyFromAmong("rdp", "pld");
        return option;
    }

    public static Option<string> Conversion()
    {
        var option = CliOptions.Text("--conversion", "classic|improved", "how RDP becomes (ε, δ): Mironov 2017 (classic) or Balle et al. 2020 (improved)", "improved");
        option.AcceptOnlyFromAmong("classic", "improved");
        return option;
    }

    public static Accountant Accountant(string kind, string conversion) => new(
        kind == "pld" ? Privacy.AccountantKind.Pld : Privacy.AccountantKind.Rdp,
        conversion == "classic" ? RdpConversion.Classic : RdpConversion.Improved);

    /// <summary>
    /// A command that reads the mechanism (--q, --sigma, --steps), one side of the guarantee (<paramref name="given"/>) and
    /// the accountant, and prints the other side as <paramref name="account"/> computes it.
    /// </summary>
    public static Command GuaranteeCommand(CommandIo io, string name, string description, Option<double> given,
        Func<Accountant, SampledGaussian, double, PrivacyGuarantee> account)
    {
        var (q, sigma, steps) = (SamplingRate(), Noise(), Steps());
        var (accountant, conversion) = (AccountantKind(), Conversion());
        var command = new Command(name, description) { q, sigma, steps, given, accountant, conversion };
        command.SetAction(parse =>
        {
            var chosen = Accountant(parse.GetRequiredValue(accountant), parse.GetRequiredValue(conversion));
            long count = WholeSteps(parse.GetValue(steps));
            var mechanism = Checked(() => new SampledGaussian(parse.GetValue(q), parse.GetValue(sigma), count));
            Write(io.Out, chosen, mechanism, Checked(() => account(chosen, mechanism, parse.GetValue(given))));
            return 0;
        });
        return command;
    }

    /// <summary>T as a whole number of at least 0.</summary>
    public static long WholeSteps(double steps) => steps == Math.Floor(steps) && steps >= 0 && steps <= long.MaxValue
        ? (long)steps
        : throw new UsageException($"option --steps: '{steps.ToString(CultureInfo.InvariantCulture)}' is not a whole number of at least 0.");

    /// <summary>Runs <paramref name="compute"/>; an input the accountants refuse becomes a usage error naming its option.</summary>
    public static T Checked<T>(Func<T> compute)
    {
        try
        {
            return compute();
        }
        catch (ArgumentOutOfRangeException e)
        {
            string option = e.ParamName switch
            {
                "samplingRate" => "--q",
                "noiseMultiplier" or "sigma" => "--sigma",
                "steps" or "times" => "--steps",
                "delta" => "--delta",
                "epsilon" => "--epsilon",
                _ => e.ParamName ?? "input",
            };
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new UsageException($"option {option}: {message}");
        }
    }

    /// <summary>One JSON line: the guarantee, the mechanism, and how it was accounted (∞ written as "Infinity", as System.Text.Json reads it).</summary>
    public static void Write(TextWriter output, Accountant accountant, SampledGaussian mechanism, PrivacyGuarantee guarantee)
    {
        bool rdp = accountant.Kind == Privacy.AccountantKind.Rdp;
        string conversion = rdp ? (accountant.Conversion == RdpConversion.Classic ? "\"classic\"" : "\"improved\"") : "null";
        string order = guarantee.Order is double a ? $",\"order\":{Number(a)}" : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"epsilon\":{Number(guarantee.Epsilon)},\"delta\":{Number(guarantee.Delta)},\"sigma\":{Number(mechanism.NoiseMultiplier)},\"q\":{Number(mechanism.SamplingRate)},\"steps\":{mechanism.Steps}{order},\"accountant\":\"{(rdp ? "rdp" : "pld")}\",\"conversion\":{conversion},\"neighbours\":\"add_remove\"}}"));
    }

    /// <summary>A JSON number; ∞ written as "Infinity", as System.Text.Json reads it.</summary>
    public static string Number(double x) => double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : x > 0 ? "\"Infinity\"" : "\"-Infinity\"";
}
