using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Cohort.Transport.Security;
using Cohort.Transport.Wire;
using Google.Protobuf;

namespace Cohort.Transport.Client;

/// <summary>The client's side of the /v1/ routes over HTTP/2: one call per route, errors as <see cref="ServerRejectedException"/> with the server's reason.</summary>
public sealed class ProtocolClient : IDisposable
{
    private readonly HttpClient _http;

    public ProtocolClient(Uri server, string token, string? caPemPath = null)
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

    /// <summary>Downloads a round's broadcast into the given parameter and buffer vectors (their lengths are the model's).</summary>
    public async Task DownloadAsync(int round, float[] parameters, float[] buffers, CancellationToken cancel)
    {
        using var request = Request(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"v1/broadcast?round={round}"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        await ThrowIfRejected(response, cancel).ConfigureAwait(false);
        await using var body = new BufferedStream(await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false), 1 << 16);
        var header = await DelimitedMessages.ReadAsync(body, BroadcastHeader.Parser, "broadcast header", cancel).ConfigureAwait(false)
            ?? throw new ProtocolException(502, "broadcast: the server sent an empty body.");
        if (header.Round != round || header.Parameters != parameters.Length || header.Buffers != buffers.Length)
        {
            throw new ProtocolException(502, $"broadcast: round {header.Round} with {header.Parameters} parameters and {header.Buffers} buffers; expected round {round}, {parameters.Length} and {buffers.Length}.");
        }
        // One vector on the wire: parameters, then buffers.
        var all = new float[parameters.Length + buffers.Length];
        await VectorChunks.ReadAsync(body, all, requireFinite: false, "broadcast", cancel).ConfigureAwait(false);
        all.AsSpan(0, parameters.Length).CopyTo(parameters);
        all.AsSpan(parameters.Length).CopyTo(buffers);
    }

    /// <summary>Uploads an update, streamed in chunks; returns the server's reply (a refusal is thrown with its reason).</summary>
    public async Task<UpdateReply> UploadAsync(UpdateHeader header, ReadOnlyMemory<float> update, CancellationToken cancel)
    {
        var content = new StreamingContent(async (stream, token) =>
        {
            await DelimitedMessages.WriteAsync(stream, header, token).ConfigureAwait(false);
            await VectorChunks.WriteAsync(stream, [update], token).ConfigureAwait(false);
        });
        var message = Request(HttpMethod.Post, "v1/update", content);
        return UpdateReply.Parser.ParseFrom(await SendAsync(message, cancel).ConfigureAwait(false));
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
