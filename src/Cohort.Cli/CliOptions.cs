using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Cohort.Cli;

/// <summary>The kinds of option and argument the commands share, each with its description, default and the error that names it.</summary>
internal static class CliOptions
{
    /// <summary>The experiment file most commands take first.</summary>
    public static Argument<string> ExperimentFile() => new("experiment.yaml") { Description = "the experiment file" };

    /// <summary>--set key=value, repeatable: experiment-file keys set over the file's.</summary>
    public static Option<string[]> Sets() => Repeated("--set", "key=value", "an experiment-file key set over the file's value (repeatable; 'cohort keys' lists them)");

    /// <summary>An option that may be given several times, each time with one value.</summary>
    public static Option<string[]> Repeated(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = ArgumentArity.OneOrMore,
        DefaultValueFactory = _ => [],
    };

    public static Option<string?> Text(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
    };

    /// <summary>A text option the command cannot do without; its absence is a usage error naming it.</summary>
    public static Option<string> RequiredText(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Required = true,
    };

    public static Option<string> Text(string name, string helpName, string description, string fallback) => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => fallback,
    };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    public static Option<int> Int(string name, string description, int fallback, int min) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => fallback,
        CustomParser = r => ParseInt(r, min) ?? fallback,
    };

    /// <summary>An integer option with no default: null when not given.</summary>
    public static Option<int?> OptionalInt(string name, string description, int min) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = r => ParseInt(r, min),
    };

    public static Option<double> Number(string name, string helpName, string description, double fallback, double min) => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => fallback,
        CustomParser = r => ParseNumber(r, min) ?? fallback,
    };

    /// <summary>A number option the command cannot do without; its range is the command's to check.</summary>
    public static Option<double> RequiredNumber(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Required = true,
        CustomParser = r => ParseNumber(r, double.NegativeInfinity) ?? 0,
    };

    /// <summary>A number option with no default: null when not given.</summary>
    public static Option<double?> OptionalNumber(string name, string helpName, string description, double min) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = r => ParseNumber(r, min),
    };

    private static int? ParseInt(ArgumentResult result, int min) => Parse(result, min, NumberStyles.Integer, "an integer");

    private static double? ParseNumber(ArgumentResult result, double min) => Parse(result, min, NumberStyles.Float, "a number");

    /// <summary>The option's value if it reads as a <typeparamref name="T"/> of at least <paramref name="min"/>; otherwise an error naming the option.</summary>
    private static T? Parse<T>(ArgumentResult result, T min, NumberStyles style, string kind)
        where T : struct, INumber<T>
    {
        string text = result.Tokens[^1].Value;
        // NaN compares false, so it is refused with the rest.
        if (T.TryParse(text, style, CultureInfo.InvariantCulture, out T value) && value >= min)
        {
            return value;
        }
        result.AddError(string.Create(CultureInfo.InvariantCulture, $"option {OptionName(result)}: '{text}' is not {kind} of at least {min}."));
        return null;
    }

    private static string OptionName(ArgumentResult result) => (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;
}
