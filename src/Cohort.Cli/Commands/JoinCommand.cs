using Cohort.Transport.Client;

namespace Cohort.Cli.Commands;

/// <summary>`cohort join &lt;server URL&gt; --data DIR --token T [--test DIR] [--ca FILE] [--state DIR]`: takes part in a deployed run with this machine's data.</summary>
public static class JoinCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stderr)
    {
        var (positional, _, options) = ArgumentSplitter.Split(args, 1);
        if (positional.Count != 1)
        {
            throw new UsageException("join needs the server's URL: cohort join <url> --data DIR --token T.");
        }
        if (!Uri.TryCreate(positional[0], UriKind.Absolute, out var server) || (server.Scheme != "https" && server.Scheme != "http"))
        {
            throw new UsageException($"join: '{positional[0]}' is not an http(s) URL.");
        }
        string data = options.String("data") ?? throw new UsageException("join needs --data DIR (this client's data).");
        string token = options.String("token") ?? throw new UsageException("join needs --token T (issued by 'cohort token add').");
        string? test = options.String("test");
        string? ca = options.String("ca");
        string? state = options.String("state");
        options.RejectUnknown();
        var session = new JoinSession(new JoinOptions { Server = server, Token = token, DataPath = data, TestPath = test, CaPath = ca, StateFolder = state }, stderr);
        try
        {
            session.RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (ServerRejectedException e)
        {
            throw new InvalidOperationException($"join {server}: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"join {server}: cannot reach the server ({e.Message}).");
        }
        return 0;
    }
}
