using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Cohort.Transport.Security;
using Cohort.Transport.Wire;
using Google.Protobuf;

namespace Cohort.Transport.Client;

/// <summary>The client's side of the /v1/ HTTP routes (the protocol before its gRPC services; kept for comparing the two): one call per route, errors as <see cref="ServerRejectedException"/> with the server's reason.</summary>
internal sealed class HttpProtocolClient : IDisposable
{
    private readonly HttpClient _http;

    public HttpProtocolClient(Uri server, string token, string? caPemPath = null)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (caPemPath is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = ServerTrust.For(caPemPath);
        }
        _http = new HttpClient(handler)
        {
            BaseAddress = server,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<ClientSettings> SettingsAsync(CancellationToken cancel) =>
        ClientSettings.Parser.ParseFrom(await SendAsync(Request(HttpMethod.Get, "v1/settings"), cancel).ConfigureAwait(false));

    public async Task<RegisterReply> RegisterAsync(RegisterRequest request, CancellationToken cancel)
    {
        var message = Request(HttpMethod.Post, "v1/register", Protobuf(request));
        return RegisterReply.Parser.ParseFrom(await SendAsync(message, cancel).ConfigureAwait(false));
    }

    public async Task<WorkTask> NextTaskAsync(int waitSeconds, CancellationToken cancel) =>
        WorkTask.Parser.ParseFrom(await SendAsync(Request(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"v1/task?wait={waitSeconds}")), cancel).ConfigureAwait(false));

    /// <summary>
    /// Downloads the broadcast of a task's exchange into <paramref name="into"/>: the model when the
    /// client does not hold the round's yet (always in exchange 0; with a compressed downlink, as the
    /// difference to the view the client holds when that is the previous round's), and the exchange's
    /// downlink vectors.
    /// </summary>
    public async Task DownloadAsync(WorkTask task, ReceivedBroadcast into, CancellationToken cancel)
    {
        bool model = BroadcastReceiver.NeedsModel(task, into);
        string holds = BroadcastReceiver.Holds(task, into) is { } held ? $"&holds={held}" : "";
        string route = string.Create(CultureInfo.InvariantCulture, $"v1/broadcast?round={task.Round}&exchange={task.Exchange}{(model && task.Exchange > 0 ? "&model=1" : "")}{holds}");
        using var request = Request(HttpMethod.Get, route);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        await ThrowIfRejected(response, cancel).ConfigureAwait(false);
        await using var body = new BufferedStream(await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false), 1 << 16);
        var header = await DelimitedMessages.ReadAsync(body, BroadcastHeader.Parser, "broadcast header", cancel).ConfigureAwait(false)
            ?? throw new ProtocolException(502, "broadcast: the server sent an empty body.");
        using var chunks = new StreamChunks(body);
        await BroadcastReceiver.ReceiveAsync(task, into, header, chunks, cancel).ConfigureAwait(false);
    }

    /// <summary>Downloads the model an EVALUATE task scores into <paramref name="parameters"/> and <paramref name="buffers"/>.</summary>
    public async Task DownloadEvaluationModelAsync(WorkTask task, float[] parameters, float[] buffers, CancellationToken cancel)
    {
        using var request = Request(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"v1/evaluation?round={task.Round}"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        await ThrowIfRejected(response, cancel).ConfigureAwait(false);
        await using var body = new BufferedStream(await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false), 1 << 16);
        var header = await DelimitedMessages.ReadAsync(body, BroadcastHeader.Parser, "evaluation header", cancel).ConfigureAwait(false)
            ?? throw new ProtocolException(502, "evaluation: the server sent an empty body.");
        using var chunks = new StreamChunks(body);
        await BroadcastReceiver.ReceiveEvaluationModelAsync(task, parameters, buffers, header, chunks, cancel).ConfigureAwait(false);
    }

    /// <summary>Sends a client's score of an evaluated round's model.</summary>
    public async Task<UpdateReply> SendEvaluationAsync(EvaluationReport report, CancellationToken cancel) =>
        UpdateReply.Parser.ParseFrom(await SendAsync(Request(HttpMethod.Post, "v1/evaluation", Protobuf(report)), cancel).ConfigureAwait(false));

    /// <summary>Uploads an update, streamed in chunks; returns the server's reply (a refusal is thrown with its reason).</summary>
    public Task<UpdateReply> UploadAsync(UpdateHeader header, ReadOnlyMemory<float> update, CancellationToken cancel) =>
        UploadAsync(ClientUpload.Dense(header, update), cancel);

    /// <summary>Uploads an exchange's update: the header, the compressed frame or the dense update, then the uplink vectors.</summary>
    public async Task<UpdateReply> UploadAsync(ClientUpload upload, CancellationToken cancel)
    {
        var content = new StreamingContent(async (stream, token) => await WriteUpload(stream, upload, token).ConfigureAwait(false));
        var message = Request(HttpMethod.Post, "v1/update", content);
        return UpdateReply.Parser.ParseFrom(await SendAsync(message, cancel).ConfigureAwait(false));
    }

    /// <summary>The body of an update as the protocol lays it out (docs/protocol.md).</summary>
    public static async Task WriteUpload(Stream stream, ClientUpload upload, CancellationToken cancel)
    {
        await DelimitedMessages.WriteAsync(stream, upload.Header, cancel).ConfigureAwait(false);
        using var chunks = new StreamChunks(stream);
        await upload.WriteChunksAsync(chunks, cancel).ConfigureAwait(false);
    }

    /// <summary>Sends a request with a body written by <paramref name="write"/> to a route, returning the status and body text (for tests of refusals).</summary>
    public async Task<(int Status, string Body)> RawAsync(HttpMethod method, string route, Func<Stream, CancellationToken, Task>? write, CancellationToken cancel)
    {
        using var message = Request(method, route, write is null ? null : new StreamingContent(write));
        using var response = await _http.SendAsync(message, cancel).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false));
    }

    /// <summary>Every request is HTTP/2 (explicit messages do not take the client's default version).</summary>
    private static HttpRequestMessage Request(HttpMethod method, string route, HttpContent? content = null) => new(method, route)
    {
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Content = content,
    };

    private async Task<byte[]> SendAsync(HttpRequestMessage request, CancellationToken cancel)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, cancel).ConfigureAwait(false);
            await ThrowIfRejected(response, cancel).ConfigureAwait(false);
            return await response.Content.ReadAsByteArrayAsync(cancel).ConfigureAwait(false);
        }
    }

    private static async Task ThrowIfRejected(HttpResponseMessage response, CancellationToken cancel)
    {
        if (!response.IsSuccessStatusCode)
        {
            string reason = (await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false)).Trim();
            throw new ServerRejectedException((int)response.StatusCode, $"server answered {(int)response.StatusCode}: {(reason.Length == 0 ? response.ReasonPhrase : reason)}");
        }
    }

    private static ByteArrayContent Protobuf(IMessage message)
    {
        var content = new ByteArrayContent(message.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }

    public void Dispose() => _http.Dispose();
}
