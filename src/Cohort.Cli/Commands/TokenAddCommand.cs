using System.CommandLine;
using Cohort.Transport.Security;

namespace Cohort.Cli.Commands;

/// <summary>`cohort token add &lt;client-id&gt; --tokens FILE`: issues a client's credential, adds it to the file and prints it.</summary>
internal static class TokenAddCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var clientId = new Argument<string>("client-id") { Description = "the client's id, a whole number" };
        var file = CliOptions.RequiredText("--tokens", "FILE", "the server's token file, which the new token is added to");
        var command = new Command("add", "issue a client's token (printed, and added to FILE)") { clientId, file };
        command.SetAction(parse => Run(parse.GetRequiredValue(clientId), parse.GetRequiredValue(file), io.Out));
        return command;
    }

    private static int Run(string clientId, string file, TextWriter stdout)
    {
        int client = TokenFile.ParseClientId(clientId, "token add");
        stdout.WriteLine(TokenFile.Add(file, client));
        return 0;
    }
}
