using System.Text.Json;
using Cohort.Transport.Security;
using Cohort.Transport.Server;

namespace Cohort.Transport.Tests;

public class DashboardTests
{
    [Fact]
    public async Task TheDashboardShowsRoundsAccuracyClientsAndUploadsInChromium()
    {
        var config = SmallMnist.Config("partition.clients=2", "clients_per_round=2", "rounds=3", "client.steps=5");
        using var run = LoopbackRun.Prepare(config);
        var (certificate, authority) = DevCertificates.Create(Path.Combine(run.Temp.Path, "certs"));
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens, o => o with { Listen = ListenAddress.Parse("https://127.0.0.1:0"), CertificatePath = certificate });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var clients = Enumerable.Range(0, 2).Select(k => Task.Run(() => LoopbackRun.JoinAsync(server.Address, run.Tokens[k], run.Folders[k], cancel.Token, authority))).ToArray();
        await TaskWaits.AllOrFirstFault(clients.Append(server.Completion), cancel.Token);

        // The status the page polls.
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = ServerTrust.For(authority) } }) { BaseAddress = server.Address };
        using var status = JsonDocument.Parse(await http.GetStringAsync("status.json", cancel.Token));
        Assert.Equal(3, status.RootElement.GetProperty("completed_round").GetInt32());
        Assert.True(status.RootElement.GetProperty("finished").GetBoolean());
        Assert.Equal(6, status.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(3, status.RootElement.GetProperty("metrics").GetArrayLength());
        Assert.Equal(2, status.RootElement.GetProperty("clients").GetArrayLength());

        // The page itself: no asset from elsewhere, and once its script ran, the numbers and curves are there.
        string page = await http.GetStringAsync("/", cancel.Token);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", page);
        string dom = await HeadlessChromium.DumpDom(server.Address, Path.Combine(run.Temp.Path, "chromium"), cancel.Token);
        Assert.Contains("<b id=\"round\">3 / 3</b>", dom, StringComparison.Ordinal);
        Assert.Contains("<b id=\"uploads\">6 / 0</b>", dom, StringComparison.Ordinal);
        Assert.Contains("<b id=\"connected\">2 / 2</b>", dom, StringComparison.Ordinal);
        Assert.Contains("finished", dom, StringComparison.Ordinal);
        // Test accuracy and the clients' mean accuracy, test and train loss.
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(dom, "<polyline").Count);
        var last = status.RootElement.GetProperty("metrics")[2];
        string F4(string name) => last.GetProperty(name).GetDouble().ToString("F4", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"<b id=\"accuracy\">{F4("test_accuracy")}</b>", dom, StringComparison.Ordinal);
        // The clients scored the model on their own test splits.
        Assert.Contains($"<b id=\"client-accuracy\">{F4("client_accuracy_mean")} / {F4("client_accuracy_worst")}</b>", dom, StringComparison.Ordinal);
        string? shot = Environment.GetEnvironmentVariable("COHORT_DASHBOARD_PNG");
        if (shot is not null)
        {
            await HeadlessChromium.Screenshot(server.Address, Path.Combine(run.Temp.Path, "chromium"), shot, cancel.Token);
        }
    }
}
