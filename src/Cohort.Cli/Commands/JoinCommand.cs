using System.CommandLine;
using Cohort.Transport.Client;

namespace Cohort.Cli.Commands;

/// <summary>`cohort join &lt;server URL&gt; --data DIR --token T [--test DIR] [--ca FILE] [--state DIR]`: takes part in a deployed run with this machine's data.</summary>
internal static class JoinCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var url = new Argument<string>("url") { Description = "the server's address, as 'cohort serve' printed it" };
        var data = CliOptions.RequiredText("--data", "DIR", "this client's data: an IDX folder, a CSV file or a text folder");
        var token = CliOptions.RequiredText("--token", "T", "this client's token, issued by 'cohort token add'");
        var test = CliOptions.Text("--test", "DIR", "the test split (default: the folder's test files, or held out)");
        var ca = CliOptions.Text("--ca", "FILE", "the certificate authority to trust for the server (as 'cohort cert dev' makes)");
        var state = CliOptions.Text("--state", "DIR", "the client's state (default runs/join-<run>-client<id>)");
        var command = new Command("join", "take part in a served run with this machine's data") { url, data, token, test, ca, state };
        command.SetAction(parse => Run(new JoinOptions
        {
            Server = ServerAddress(parse.GetRequiredValue(url)),
            Token = parse.GetRequiredValue(token),
            DataPath = parse.GetRequiredValue(data),
            TestPath = parse.GetValue(test),
            CaPath = parse.GetValue(ca),
            StateFolder = parse.GetValue(state),
        }, io.Error));
        return command;
    }

    private static Uri ServerAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var server) && (server.Scheme == "https" || server.Scheme == "http")
            ? server
            : throw new UsageException($"join: '{url}' is not an http(s) URL.");

    private static int Run(JoinOptions options, TextWriter stderr)
    {
        var server = options.Server;
        var session = new JoinSession(options, stderr);
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
