using Cohort.Transport.Security;
using Cohort.Transport.Wire;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cohort.Transport.Client;

/// <summary>
/// The client's side of the protocol's gRPC service (docs/protocol.md): one method per call, each with a deadline, the
/// token in every call's metadata, keepalive pings on the connection. A refusal is thrown as <see cref="ServerRejectedException"/>
/// with the server's code and reason; a server out of reach as the <see cref="HttpRequestException"/> or <see cref="IOException"/> behind it.
/// </summary>
internal sealed class ProtocolClient : IDisposable
{
    /// <summary>Deadline of a call that moves little: settings, registration, a score.</summary>
    private static readonly TimeSpan ShortCall = TimeSpan.FromSeconds(30);

    /// <summary>Deadline of a download or an upload: a model's worth of chunks on a slow link.</summary>
    private static readonly TimeSpan TransferCall = TimeSpan.FromMinutes(10);

    /// <summary>How long a write may go on once the server has answered an upload it did not read to its end.</summary>
    internal static readonly TimeSpan RefusedWriteGrace = TimeSpan.FromSeconds(1);

    private readonly GrpcChannel _channel;
    private readonly Federation.FederationClient _calls;
    private readonly Metadata _credential;

    public ProtocolClient(Uri server, string token, string? caPemPath = null)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // Pings keep a long poll's connection open through middleboxes and find a dead server.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        };
        if (caPemPath is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = ServerTrust.For(caPemPath);
        }
        _channel = GrpcChannel.ForAddress(server, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = VectorChunks.MaxPartBytes,
            // What it sends is the server's to limit (a test sends a part beyond the limit on purpose).
            MaxSendMessageSize = null,
            ThrowOperationCanceledOnCancellation = true,
            // The client's own retry loop (JoinSession) knows which refusals are worth another try.
            MaxRetryAttempts = 0,
            // A server that was down is tried again within seconds, not after gRPC's default backoff of up to two minutes.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(200),
            MaxReconnectBackoff = TimeSpan.FromSeconds(5),
        });
        _calls = new Federation.FederationClient(_channel);
        _credential = token.Length == 0 ? [] : new Metadata { { "authorization", $"Bearer {token}" } };
    }

    public Task<ClientSettings> SettingsAsync(CancellationToken cancel) =>
        Call(() => _calls.GetSettingsAsync(new SettingsRequest(), Options(ShortCall, cancel)).ResponseAsync, cancel);

    public Task<RegisterReply> RegisterAsync(RegisterRequest request, CancellationToken cancel) =>
        Call(() => _calls.RegisterAsync(request, Options(ShortCall, cancel)).ResponseAsync, cancel);

    /// <summary>The next task, waiting up to <paramref name="waitSeconds"/> on the server for one to appear.</summary>
    public Task<WorkTask> NextTaskAsync(int waitSeconds, CancellationToken cancel) => Call(async () =>
    {
        using var call = _calls.NextTask(new TaskRequest { WaitSeconds = waitSeconds }, Options(ShortCall + TimeSpan.FromSeconds(waitSeconds), cancel));
        return await call.ResponseStream.MoveNext(cancel).ConfigureAwait(false)
            ? call.ResponseStream.Current
            : throw new ProtocolException(502, "task: the server ended the call without a task.");
    }, cancel);

    /// <summary>Downloads the broadcast of a task's exchange into <paramref name="into"/> (<see cref="BroadcastReceiver.ReceiveAsync"/>).</summary>
    public Task DownloadAsync(WorkTask task, ReceivedBroadcast into, CancellationToken cancel) => Call(async () =>
    {
        var request = new BroadcastRequest { Round = task.Round, Exchange = task.Exchange, WithModel = task.Exchange > 0 && BroadcastReceiver.NeedsModel(task, into) };
        if (BroadcastReceiver.Holds(task, into) is { } held)
        {
            request.Holds = held;
        }
        using var call = _calls.DownloadBroadcast(request, Options(TransferCall, cancel));
        var header = await HeaderAsync(call.ResponseStream, "broadcast", cancel).ConfigureAwait(false);
        await BroadcastReceiver.ReceiveAsync(task, into, header, new ChunkParts<DownloadPart>(call.ResponseStream), cancel).ConfigureAwait(false);
        return true;
    }, cancel);

    /// <summary>Downloads the model an EVALUATE task scores into <paramref name="parameters"/> and <paramref name="buffers"/>.</summary>
    public Task DownloadEvaluationModelAsync(WorkTask task, float[] parameters, float[] buffers, CancellationToken cancel) => Call(async () =>
    {
        using var call = _calls.DownloadEvaluationModel(new EvaluationModelRequest { Round = task.Round }, Options(TransferCall, cancel));
        var header = await HeaderAsync(call.ResponseStream, "evaluation", cancel).ConfigureAwait(false);
        await BroadcastReceiver.ReceiveEvaluationModelAsync(task, parameters, buffers, header, new ChunkParts<DownloadPart>(call.ResponseStream), cancel).ConfigureAwait(false);
        return true;
    }, cancel);

    /// <summary>Sends a client's score of an evaluated round's model.</summary>
    public Task<UpdateReply> SendEvaluationAsync(EvaluationReport report, CancellationToken cancel) =>
        Call(() => _calls.ReportEvaluationAsync(report, Options(ShortCall, cancel)).ResponseAsync, cancel);

    /// <summary>Sends a sampled client's gradient and σ² at an evaluated round's model: the header, then the gradient in chunks.</summary>
    public Task<UpdateReply> SendGradientAsync(GradientHeader header, ReadOnlyMemory<float> gradient, CancellationToken cancel) => Call(async () =>
    {
        using var call = _calls.ReportGradient(Options(TransferCall, cancel));
        try
        {
            await call.RequestStream.WriteAsync(new GradientPart { Header = header }, cancel).ConfigureAwait(false);
            await VectorChunks.WriteAsync(new ChunkParts<GradientPart>(writer: call.RequestStream), [gradient], cancel).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // The server answered before taking every part (a refusal): its status is the answer.
        }
        return await call.ResponseAsync.ConfigureAwait(false);
    }, cancel);

    /// <summary>Uploads a dense update; returns the server's reply (a refusal is thrown with its reason).</summary>
    public Task<UpdateReply> UploadAsync(UpdateHeader header, ReadOnlyMemory<float> update, CancellationToken cancel) =>
        UploadAsync(ClientUpload.Dense(header, update), cancel);

    /// <summary>Uploads an exchange's update: the header, the compressed frame or the dense update, then the uplink vectors.</summary>
    public Task<UpdateReply> UploadAsync(ClientUpload upload, CancellationToken cancel) => UploadPartsAsync(async (parts, token) =>
    {
        await parts.WriteAsync(new UploadPart { Header = upload.Header }, token).ConfigureAwait(false);
        await upload.WriteChunksAsync(new ChunkParts<UploadPart>(writer: parts), token).ConfigureAwait(false);
    }, cancel);

    /// <summary>
    /// An upload of whatever parts <paramref name="write"/> sends (the protocol's layout, or a test's broken one). A server
    /// that answers before taking every part (a refusal) may never read the rest, and HTTP/2 flow control would then hold
    /// the write until the call's deadline: the write is given up <see cref="RefusedWriteGrace"/> after the answer, which is returned.
    /// </summary>
    public Task<UpdateReply> UploadPartsAsync(Func<IClientStreamWriter<UploadPart>, CancellationToken, Task> write, CancellationToken cancel) => Call(async () =>
    {
        using var call = _calls.Upload(Options(TransferCall, cancel));
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var sending = SendAsync(call.RequestStream, write, writing.Token);
        if (await Task.WhenAny(sending, call.ResponseAsync).ConfigureAwait(false) != sending)
        {
            writing.CancelAfter(RefusedWriteGrace);
        }
        try
        {
            await sending.ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // The server answered before taking every part (a refusal): its status is the answer.
        }
        catch (Exception e) when (e is InvalidOperationException || (e is OperationCanceledException && !cancel.IsCancellationRequested))
        {
            // Writing after the call completed, or a write given up after the answer: the same.
        }
        return await call.ResponseAsync.ConfigureAwait(false);
    }, cancel);

    private static async Task SendAsync(IClientStreamWriter<UploadPart> parts, Func<IClientStreamWriter<UploadPart>, CancellationToken, Task> write, CancellationToken cancel)
    {
        await write(parts, cancel).ConfigureAwait(false);
        await parts.CompleteAsync().ConfigureAwait(false);
    }

    private CallOptions Options(TimeSpan deadline, CancellationToken cancel) =>
        new(headers: _credential, deadline: DateTime.UtcNow + deadline, cancellationToken: cancel);

    private static async Task<BroadcastHeader> HeaderAsync(IAsyncStreamReader<DownloadPart> parts, string what, CancellationToken cancel) =>
        await parts.MoveNext(cancel).ConfigureAwait(false) && parts.Current.Header is { } header
            ? header
            : throw new ProtocolException(502, $"{what}: the server's stream does not start with a header.");

    /// <summary>Runs a call, turning its failure into what the caller tells apart: a refusal, an unreachable server, a broken stream.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call, CancellationToken cancel)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            cancel.ThrowIfCancellationRequested();
            throw Translate(e);
        }
        catch (OperationCanceledException e) when (!cancel.IsCancellationRequested)
        {
            // Not this client's cancellation: the connection went away under the call (a server stopping).
            throw new IOException($"the call was cut off ({e.Message})", e);
        }
    }

    private static Exception Translate(RpcException e)
    {
        if (e.Status.DebugException is HttpRequestException unreachable)
        {
            // Not connected (refused, reset, an untrusted certificate): the transport's own error, as the caller classifies it.
            return unreachable;
        }
        bool refused = e.Trailers.GetValue(ProtocolStatus.Trailer) is not null;
        if (!refused && e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Internal or StatusCode.Unknown)
        {
            return new IOException($"the call ended with {e.StatusCode}: {e.Status.Detail}", e);
        }
        int status = ProtocolStatus.StatusOf(e);
        return new ServerRejectedException(status, $"server answered {status} ({e.StatusCode}): {e.Status.Detail}");
    }

    public void Dispose() => _channel.Dispose();
}
