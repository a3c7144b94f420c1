using Cohort.Transport.Client;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Tests;

/// <summary>How the server answered a call: the protocol's code and reason of a refusal, or 200 and no reason.</summary>
internal static class Answers
{
    public static async Task<(int Status, string Reason)> Of(Func<Task> call)
    {
        try
        {
            await call();
            return (200, "");
        }
        catch (ServerRejectedException e)
        {
            return (e.Status, e.Message);
        }
    }

    /// <summary>An upload of a header and the values dense, laid out as the protocol says.</summary>
    public static Func<Grpc.Core.IClientStreamWriter<UploadPart>, CancellationToken, Task> Upload(UpdateHeader header, params float[][] values) => async (parts, cancel) =>
    {
        await parts.WriteAsync(new UploadPart { Header = header }, cancel);
        await VectorChunks.WriteAsync(new ChunkParts<UploadPart>(writer: parts), [.. values.Select(v => (ReadOnlyMemory<float>)v)], cancel);
    };
}
