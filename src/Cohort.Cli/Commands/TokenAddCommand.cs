using Cohort.Transport.Security;

namespace Cohort.Cli.Commands;

/// <summary>`cohort token add &lt;client-id&gt; --tokens FILE`: issues a client's credential, adds it to the file and prints it.</summary>
public static class TokenAddCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        var (positional, _, options) = ArgumentSplitter.Split(args, 1);
        if (positional.Count != 1)
        {
            throw new UsageException("token add needs a client id: cohort token add <client-id> --tokens FILE.");
        }
        string file = options.String("tokens") ?? throw new UsageException("token add needs --tokens FILE.");
        options.RejectUnknown();
        int client = TokenFile.ParseClientId(positional[0], "token add");
        stdout.WriteLine(TokenFile.Add(file, client));
        return 0;
    }
}
