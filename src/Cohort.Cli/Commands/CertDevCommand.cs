using Cohort.Transport.Security;

namespace Cohort.Cli.Commands;

/// <summary>`cohort cert dev --out DIR`: a test certificate authority (DIR/ca.pem, for clients' --ca) and a localhost server certificate it signs (DIR/server.pfx, for --cert).</summary>
public static class CertDevCommand
{
    public static int Run(Options options, TextWriter stdout)
    {
        string outDir = options.String("out") ?? throw new UsageException("cert dev needs --out DIR.");
        options.RejectUnknown();
        var (server, authority) = DevCertificates.Create(outDir);
        stdout.WriteLine(server);
        stdout.WriteLine(authority);
        return 0;
    }
}
