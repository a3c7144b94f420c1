using System.Globalization;

namespace Cohort.Cli;

/// <summary>`--name value` options; each lookup marks its name used, so unknown options can be reported.</summary>
public sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var options = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"unexpected argument '{arg}'.");
            }
            string name = arg[2..];
            string value;
            int eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else
            {
                if (i + 1 >= args.Length)
                {
                    throw new UsageException($"option --{name} needs a value.");
                }
                value = args[++i];
            }
            if (!options._values.TryAdd(name, value))
            {
                throw new UsageException($"option --{name} is given twice.");
            }
        }
        return options;
    }

    public string? String(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public string String(string name, string fallback) => String(name) ?? fallback;

    public int Int(string name, int fallback, int min = int.MinValue)
    {
        string? text = String(name);
        if (text is null)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
        {
            throw new UsageException($"option --{name}: '{text}' is not an integer of at least {min}.");
        }
        return value;
    }

    public double Double(string name, double fallback, double min = double.MinValue)
    {
        string? text = String(name);
        if (text is null)
        {
            return fallback;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value >= min))
        {
            throw new UsageException($"option --{name}: '{text}' is not a number of at least {min}.");
        }
        return value;
    }

    /// <summary>Fails on any option that no lookup asked for.</summary>
    public void RejectUnknown()
    {
        foreach (string name in _values.Keys)
        {
            if (!_read.Contains(name))
            {
                throw new UsageException($"unknown option --{name}.");
            }
        }
    }
}
