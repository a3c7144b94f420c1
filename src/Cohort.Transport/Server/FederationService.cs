using Cohort.Transport.Security;
using Cohort.Transport.Wire;
using Grpc.Core;

namespace Cohort.Transport.Server;

/// <summary>
/// The protocol's gRPC service (Protos/cohort/v1/service.proto, docs/protocol.md) over the deployed cohort: every call
/// authenticated by its token, every refusal a status with its reason and the protocol's code (<see cref="ProtocolStatus"/>).
/// </summary>
[BindServiceMethod(typeof(FederationService), nameof(BindService))]
internal sealed class FederationService(RemoteCohort cohort, ClientRegistry registry, ClientCredentials credentials, string runId, TimeSpan maxPollWait)
    : Federation.FederationBase
{
    /// <summary>The generated binding, with <see cref="PooledUploadParts"/> reading the Upload call's parts (gRPC binds with no instance: <paramref name="service"/> is null then).</summary>
    public static void BindService(ServiceBinderBase binder, Federation.FederationBase? service) =>
        Federation.BindService(new PooledUploadBinder(binder), service!);

    /// <summary>The longest a refused upload's remaining parts are read for, so the refusal answers a whole call.</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(30);

    public override Task<ClientSettings> GetSettings(SettingsRequest request, ServerCallContext context) => Guard(context, false, client =>
    {
        var settings = new ClientSettings { RunId = runId, Client = client };
        settings.Data.Add(cohort.Template.DataSettings);
        return Task.FromResult(settings);
    });

    public override Task<RegisterReply> Register(RegisterRequest request, ServerCallContext context) => Guard(context, false, client =>
    {
        registry.Register(client, request.TrainSamples, request.TestSamples, request.ScoresTestSplit);
        return Task.FromResult(new RegisterReply { RunId = runId, Client = client });
    });

    public override Task NextTask(TaskRequest request, IServerStreamWriter<WorkTask> responseStream, ServerCallContext context) => Guard(context, true, async client =>
    {
        var wait = TimeSpan.FromSeconds(Math.Clamp(request.WaitSeconds, 0, (int)maxPollWait.TotalSeconds));
        await responseStream.WriteAsync(await cohort.NextTaskAsync(client, wait, context.CancellationToken).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);
        return true;
    });

    public override Task DownloadBroadcast(BroadcastRequest request, IServerStreamWriter<DownloadPart> responseStream, ServerCallContext context) => Guard(context, true, async client =>
    {
        if (request.Round < 1 || request.Exchange < 0 || (request.HasHolds && request.Holds < 0))
        {
            throw new ProtocolException(400, $"broadcast: round {request.Round}, exchange {request.Exchange}{(request.HasHolds ? $", holds {request.Holds}" : "")}; a round is at least 1, an exchange and a held round at least 0.");
        }
        var (header, message, parts) = cohort.Broadcast(client, request.Round, request.Exchange, request.WithModel, request.HasHolds ? request.Holds : null);
        await responseStream.WriteAsync(new DownloadPart { Header = header }, context.CancellationToken).ConfigureAwait(false);
        var chunks = new ChunkParts<DownloadPart>(writer: responseStream);
        if (!message.IsEmpty)
        {
            await MessageChunks.WriteAsync(chunks, message, context.CancellationToken).ConfigureAwait(false);
        }
        await VectorChunks.WriteAsync(chunks, parts, context.CancellationToken).ConfigureAwait(false);
        return true;
    });

    public override Task DownloadEvaluationModel(EvaluationModelRequest request, IServerStreamWriter<DownloadPart> responseStream, ServerCallContext context) => Guard(context, true, async client =>
    {
        if (request.Round < 1)
        {
            throw new ProtocolException(400, $"evaluation: round {request.Round}; a round is at least 1.");
        }
        var (header, parts) = cohort.EvaluationModel(client, request.Round);
        await responseStream.WriteAsync(new DownloadPart { Header = header }, context.CancellationToken).ConfigureAwait(false);
        await VectorChunks.WriteAsync(new ChunkParts<DownloadPart>(writer: responseStream), parts, context.CancellationToken).ConfigureAwait(false);
        return true;
    });

    public override Task<UpdateReply> ReportEvaluation(EvaluationReport request, ServerCallContext context) =>
        Guard(context, true, client => Task.FromResult(cohort.AcceptEvaluation(client, request)));

    public override Task<UpdateReply> Upload(IAsyncStreamReader<UploadPart> requestStream, ServerCallContext context) => Guard(context, true, async client =>
    {
        try
        {
            if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                throw new ProtocolException(400, "update: the call is empty; expected an UpdateHeader and the values.");
            }
            var header = requestStream.Current.Header
                ?? throw new ProtocolException(400, "update: the first part is a chunk; expected an UpdateHeader first.");
            return await cohort.AcceptAsync(client, header, new ChunkParts<UploadPart>(requestStream), context.CancellationToken).ConfigureAwait(false);
        }
        catch (ProtocolException e)
        {
            cohort.Counters.CountRejected(e.Message);
            await DrainAsync(requestStream, context.CancellationToken).ConfigureAwait(false);
            throw;
        }
        catch (RpcException e)
        {
            // gRPC's own refusals of a part (too large a message, one that does not parse).
            cohort.Counters.CountRejected(e.Status.Detail);
            throw;
        }
    });

    public override Task<UpdateReply> ReportGradient(IAsyncStreamReader<GradientPart> requestStream, ServerCallContext context) => Guard(context, true, async client =>
    {
        try
        {
            var header = await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false) && requestStream.Current.Header is { } first
                ? first
                : throw new ProtocolException(400, "gradient: the call does not start with a GradientHeader.");
            return await cohort.AcceptGradientAsync(client, header, new ChunkParts<GradientPart>(requestStream), context.CancellationToken).ConfigureAwait(false);
        }
        catch (ProtocolException)
        {
            await DrainAsync(requestStream, context.CancellationToken).ConfigureAwait(false);
            throw;
        }
    });

    /// <summary>Reads what is left of a refused upload (within <see cref="DrainTime"/>), so a client still sending reads the refusal rather than waiting on flow control.</summary>
    private static async Task DrainAsync<T>(IAsyncStreamReader<T> parts, CancellationToken cancel)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(DrainTime);
        try
        {
            while (await parts.MoveNext(limit.Token).ConfigureAwait(false))
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or RpcException)
        {
            // The refusal goes out as it is; the stream is reset behind it.
        }
    }

    /// <summary>Authenticates the call (and with <paramref name="registered"/> requires a registration), runs it, and turns a protocol refusal into its status.</summary>
    private async Task<T> Guard<T>(ServerCallContext context, bool registered, Func<int, Task<T>> call)
    {
        try
        {
            int client = ClientAuthentication.Authenticate(context.RequestHeaders.GetValue("authorization"), credentials, registry);
            if (registered)
            {
                ClientAuthentication.RequireRegistered(registry, client);
            }
            return await call(client).ConfigureAwait(false);
        }
        catch (ProtocolException e)
        {
            throw ProtocolStatus.Refusal(e.Status, e.Message);
        }
    }
}
