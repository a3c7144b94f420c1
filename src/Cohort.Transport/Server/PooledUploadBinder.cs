using Cohort.Transport.Wire;
using Grpc.Core;

namespace Cohort.Transport.Server;

/// <summary>Binds the generated service's methods as they are, but for Upload, whose parts <see cref="PooledUploadParts"/> reads.</summary>
internal sealed class PooledUploadBinder(ServiceBinderBase inner) : ServiceBinderBase
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
    {
        if (method is Method<UploadPart, UpdateReply> upload)
        {
            var pooled = new Method<UploadPart, UpdateReply>(upload.Type, upload.ServiceName, upload.Name, PooledUploadParts.Marshaller, upload.ResponseMarshaller);
            inner.AddMethod(pooled, (ClientStreamingServerMethod<UploadPart, UpdateReply>?)(object?)handler);
            return;
        }
        inner.AddMethod(method, handler);
    }
}
