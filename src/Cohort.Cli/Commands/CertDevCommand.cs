using System.CommandLine;
using Cohort.Transport.Security;

namespace Cohort.Cli.Commands;

/// <summary>
/// `cohort cert dev --out DIR`: a test certificate authority (DIR/ca.pem, for clients' --ca) and a localhost server certificate it
/// signs (DIR/server.pfx, for --cert), its key encrypted with a generated password kept in DIR/server.pfx.password; both owner-only.
/// </summary>
internal static class CertDevCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var outDir = CliOptions.RequiredText("--out", "DIR", "where ca.pem, server.pfx and server.pfx.password are written");
        var command = new Command("dev", "a test CA (DIR/ca.pem, for join --ca) and a localhost certificate (DIR/server.pfx, for serve --cert, with its password in DIR/server.pfx.password)") { outDir };
        command.SetAction(parse => Run(parse.GetRequiredValue(outDir), io.Out));
        return command;
    }

    private static int Run(string outDir, TextWriter stdout)
    {
        var (server, authority) = DevCertificates.Create(outDir);
        stdout.WriteLine(server);
        stdout.WriteLine(DevCertificates.PasswordFileOf(server));
        stdout.WriteLine(authority);
        return 0;
    }
}
