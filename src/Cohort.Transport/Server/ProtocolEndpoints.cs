using System.Globalization;
using Cohort.Transport.Security;
using Cohort.Transport.Wire;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cohort.Transport.Server;

/// <summary>The /v1/ routes (docs/protocol.md). Every route needs a client's bearer token; errors answer with a status and a plain-text reason.</summary>
internal static class ProtocolEndpoints
{
    public const string ProtobufType = "application/x-protobuf";

    /// <summary>Bodies other than updates are small messages.</summary>
    public const long SmallBodyBytes = 64 * 1024;

    public static void Map(WebApplication app, RemoteCohort cohort, ClientRegistry registry, ClientCredentials credentials, string runId, TimeSpan maxPollWait)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapGet("/settings", context => Handle(context, credentials, registry, async client =>
        {
            var settings = new ClientSettings { RunId = runId, Client = client };
            settings.Data.Add(cohort.Template.DataSettings);
            await Reply(context, settings);
        }));
        v1.MapPost("/register", context => Handle(context, credentials, registry, async client =>
        {
            var request = await ReadSmall(context, RegisterRequest.Parser, "register");
            registry.Register(client, request.TrainSamples, request.TestSamples, request.ScoresTestSplit);
            await Reply(context, new RegisterReply { RunId = runId, Client = client });
        }));
        v1.MapGet("/task", context => Handle(context, credentials, registry, async client =>
        {
            ClientAuthentication.RequireRegistered(registry, client);
            var wait = TimeSpan.FromSeconds(QueryInt(context, "wait", 0, 0, (int)maxPollWait.TotalSeconds));
            var task = await cohort.NextTaskAsync(client, wait, context.RequestAborted);
            await Reply(context, task);
        }));
        v1.MapGet("/broadcast", context => Handle(context, credentials, registry, async client =>
        {
            ClientAuthentication.RequireRegistered(registry, client);
            int round = QueryInt(context, "round", null, 1, int.MaxValue);
            int exchange = QueryInt(context, "exchange", 0, 0, int.MaxValue);
            bool withModel = QueryInt(context, "model", 0, 0, 1) == 1;
            int? holds = context.Request.Query.ContainsKey("holds") ? QueryInt(context, "holds", null, 0, int.MaxValue) : null;
            var (header, message, parts) = cohort.Broadcast(client, round, exchange, withModel, holds);
            context.Response.ContentType = ProtobufType;
            await DelimitedMessages.WriteAsync(context.Response.Body, header, context.RequestAborted);
            using var chunks = new StreamChunks(context.Response.Body);
            if (!message.IsEmpty)
            {
                await MessageChunks.WriteAsync(chunks, message, context.RequestAborted);
            }
            await VectorChunks.WriteAsync(chunks, parts, context.RequestAborted);
        }));
        v1.MapGet("/evaluation", context => Handle(context, credentials, registry, async client =>
        {
            ClientAuthentication.RequireRegistered(registry, client);
            var (header, parts) = cohort.EvaluationModel(client, QueryInt(context, "round", null, 1, int.MaxValue));
            context.Response.ContentType = ProtobufType;
            await DelimitedMessages.WriteAsync(context.Response.Body, header, context.RequestAborted);
            using var chunks = new StreamChunks(context.Response.Body);
            await VectorChunks.WriteAsync(chunks, parts, context.RequestAborted);
        }));
        v1.MapPost("/evaluation", context => Handle(context, credentials, registry, async client =>
        {
            ClientAuthentication.RequireRegistered(registry, client);
            var report = await ReadSmall(context, EvaluationReport.Parser, "evaluation");
            await Reply(context, cohort.AcceptEvaluation(client, report));
        }));
        v1.MapPost("/update", context => Handle(context, credentials, registry, async client =>
        {
            ClientAuthentication.RequireRegistered(registry, client);
            // The size limit follows the model and the method's uplink: its values, chunk framing and the header.
            context.Features.GetRequiredFeature<IHttpMaxRequestBodySizeFeature>().MaxRequestBodySize = cohort.MaxUpdateBodyBytes;
            try
            {
                // Buffered: the few bytes of each length prefix are not read one call at a time.
                await using var body = new BufferedStream(context.Request.Body, 1 << 16);
                var header = await DelimitedMessages.ReadAsync(body, UpdateHeader.Parser, "update header", context.RequestAborted)
                    ?? throw new ProtocolException(400, "update: the body is empty; expected an UpdateHeader and the values.");
                using var chunks = new StreamChunks(body);
                var reply = await cohort.AcceptAsync(client, header, chunks, context.RequestAborted);
                await Reply(context, reply);
            }
            catch (ProtocolException e)
            {
                cohort.Counters.CountRejected(e.Message);
                throw;
            }
            catch (BadHttpRequestException e)
            {
                cohort.Counters.CountRejected(e.Message);
                throw;
            }
        }));
    }

    /// <summary>Authenticates the request, runs the route, and turns protocol errors into their status and reason.</summary>
    private static async Task Handle(HttpContext context, ClientCredentials credentials, ClientRegistry registry, Func<int, Task> route)
    {
        try
        {
            int client = Authenticate(context, credentials, registry);
            await route(client);
        }
        catch (ProtocolException e)
        {
            if (await DrainAsync(context))
            {
                await Fail(context, e.Status, e.Message);
            }
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own refusals: body too large, client too slow, malformed framing.
            await Fail(context, e.StatusCode, $"request refused: {e.Message}");
        }
    }

    /// <summary>
    /// Reads what is left of a refused request's body, within the route's size limit and <see cref="DrainTime"/>, so the
    /// refusal is the answer to a whole request: an HTTP/2 client still sending would otherwise wait on flow control
    /// (or see its stream reset) rather than read the reason. A body that cannot be read whole resets the stream instead; false then.
    /// </summary>
    private static async Task<bool> DrainAsync(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            return true;
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        limit.CancelAfter(DrainTime);
        try
        {
            await context.Request.Body.CopyToAsync(Stream.Null, limit.Token);
            return true;
        }
        catch (Exception e) when (e is BadHttpRequestException or OperationCanceledException or IOException)
        {
            context.Abort();
            return false;
        }
    }

    /// <summary>The longest a refused body is read for before its stream is reset.</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(30);

    private static int Authenticate(HttpContext context, ClientCredentials credentials, ClientRegistry registry)
    {
        try
        {
            return ClientAuthentication.Authenticate(context.Request.Headers.Authorization.ToString(), credentials, registry);
        }
        catch (ProtocolException e) when (e.Status == 401)
        {
            context.Response.Headers.WWWAuthenticate = e.Message.StartsWith("missing", StringComparison.Ordinal) ? "Bearer" : "Bearer error=\"invalid_token\"";
            throw;
        }
    }

    private static async Task<T> ReadSmall<T>(HttpContext context, MessageParser<T> parser, string what)
        where T : IMessage<T>
    {
        context.Features.GetRequiredFeature<IHttpMaxRequestBodySizeFeature>().MaxRequestBodySize = SmallBodyBytes;
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        try
        {
            return parser.ParseFrom(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ProtocolException(400, $"{what}: the body is not a valid {typeof(T).Name} message ({e.Message}).");
        }
    }

    private static int QueryInt(HttpContext context, string name, int? fallback, int min, int max)
    {
        string? text = context.Request.Query[name];
        if (text is null)
        {
            return fallback ?? throw new ProtocolException(400, $"query parameter '{name}' is required.");
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
        {
            throw new ProtocolException(400, $"query parameter '{name}': '{text}' is not an integer of at least {min}.");
        }
        return Math.Min(value, max);
    }

    private static async Task Reply(HttpContext context, IMessage message)
    {
        context.Response.ContentType = ProtobufType;
        await context.Response.Body.WriteAsync(message.ToByteArray(), context.RequestAborted);
    }

    private static async Task Fail(HttpContext context, int status, string reason)
    {
        if (context.Response.HasStarted)
        {
            // Too late for a status: end the stream so the client sees it cut short.
            context.Abort();
            return;
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(reason + "\n", context.RequestAborted);
    }
}
