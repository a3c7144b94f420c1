using System.CommandLine;
using System.Security.Authentication;
using Cohort.Transport.Client;
using Cohort.Transport.Security;

namespace Cohort.Cli.Commands;

/// <summary>`cohort join &lt;server URL&gt; --data DIR [--token-file FILE | --token T] [--test DIR] [--ca FILE] [--state DIR]`: takes part in a deployed run with this machine's data (the token also from COHORT_TOKEN).</summary>
internal static class JoinCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var url = new Argument<string>("url") { Description = "the server's address, as 'cohort serve' printed it" };
        var data = CliOptions.RequiredText("--data", "DIR", "this client's data: an IDX folder, a CSV file or a text folder");
        var token = CliOptions.Text("--token", "T", "this client's token, issued by 'cohort token add' (visible to other users in the process list: prefer --token-file or COHORT_TOKEN)");
        var tokenFile = CliOptions.Text("--token-file", "FILE", $"a file whose first line is this client's token (default: the {ClientToken.EnvironmentVariable} environment variable)");
        var test = CliOptions.Text("--test", "DIR", "the test split (default: the folder's test files, or held out)");
        var ca = CliOptions.Text("--ca", "FILE", "the certificate authority to trust for the server (as 'cohort cert dev' makes)");
        var state = CliOptions.Text("--state", "DIR", "the client's state (default runs/join-<run>-client<id>)");
        var command = new Command("join", "take part in a served run with this machine's data") { url, data, token, tokenFile, test, ca, state };
        command.SetAction(parse => Run(new JoinOptions
        {
            Server = ServerAddress(parse.GetRequiredValue(url)),
            Token = Token(parse.GetValue(token), parse.GetValue(tokenFile)),
            DataPath = parse.GetRequiredValue(data),
            TestPath = parse.GetValue(test),
            CaPath = parse.GetValue(ca),
            StateFolder = parse.GetValue(state),
        }, io.Error));
        return command;
    }

    private static string Token(string? option, string? file)
    {
        try
        {
            return ClientToken.Resolve(option, file, Environment.GetEnvironmentVariable(ClientToken.EnvironmentVariable));
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"join: {e.Message}");
        }
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
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            throw new IOException($"join {server}: the server's certificate is not trusted ({e.InnerException.Message}); give its authority with --ca FILE.");
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"join {server}: cannot reach the server ({e.Message}).");
        }
        return 0;
    }
}
