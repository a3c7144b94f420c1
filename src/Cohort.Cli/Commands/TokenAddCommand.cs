using System.CommandLine;
using System.Globalization;
using Cohort.Transport.Security;

namespace Cohort.Cli.Commands;

/// <summary>
/// `cohort token add &lt;client-id&gt; --tokens FILE [--out CLIENT-FILE] [--print]`: issues a client's credential and adds it
/// to the server's file; the token is written to the client's own file (owner-only) with --out, and to stdout only with --print,
/// so it does not land in a terminal's scrollback or a log by default.
/// </summary>
internal static class TokenAddCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var clientId = new Argument<string>("client-id") { Description = "the client's id, a whole number" };
        var file = CliOptions.RequiredText("--tokens", "FILE", "the server's token file, which the new token is added to");
        var output = CliOptions.Text("--out", "CLIENT-FILE", "also write the token alone to this file, readable by its owner only (for 'cohort join --token-file')");
        var print = CliOptions.Flag("--print", "print the token on stdout");
        var command = new Command("add", "issue a client's token (added to FILE; written to --out, printed with --print)") { clientId, file, output, print };
        command.SetAction(parse => Run(parse.GetRequiredValue(clientId), parse.GetRequiredValue(file), parse.GetValue(output), parse.GetValue(print), io.Out));
        return command;
    }

    private static int Run(string clientId, string file, string? output, bool print, TextWriter stdout)
    {
        int client = TokenFile.ParseClientId(clientId, "token add");
        string token = TokenFile.Add(file, client);
        if (output is not null)
        {
            PrivateFile.Write(output, System.Text.Encoding.UTF8.GetBytes(token + "\n"));
        }
        stdout.WriteLine(print ? token : string.Create(CultureInfo.InvariantCulture, $"client {client}'s token added to {file}{(output is null ? "" : $" and written to {output}")}."));
        return 0;
    }
}
