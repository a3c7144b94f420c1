using System.CommandLine;
using Cohort.Federated.Components;
using Cohort.Federated.Config;

namespace Cohort.Cli.Commands;

/// <summary>`cohort keys [component]`: every experiment-file key with its type, default and doc, or those of one component.</summary>
internal static class KeysCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var component = new Argument<string?>("component")
        {
            Description = "only the keys of this component (fedprox, topk, krum, …, or general)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("keys", "every experiment-file key with its type, default and doc") { component };
        command.SetAction(parse =>
        {
            Write(io.Out, parse.GetValue(component));
            return 0;
        });
        return command;
    }

    /// <summary>The keys of one component, or all, as the declarations give them; an unknown component is a usage error.</summary>
    internal static void Write(TextWriter output, string? component)
    {
        try
        {
            KeyReference.Write(output, component);
        }
        catch (ConfigException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
