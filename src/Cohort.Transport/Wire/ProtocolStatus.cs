using Grpc.Core;

namespace Cohort.Transport.Wire;

/// <summary>
/// The protocol's refusal codes (HTTP-style numbers, docs/protocol.md) as gRPC statuses: the nearest gRPC code, and the
/// number itself in the trailer <see cref="Trailer"/>, so a client tells a 409 from a 412 and a 400 from a 422.
/// </summary>
internal static class ProtocolStatus
{
    public const string Trailer = "cohort-status";

    public static StatusCode CodeOf(int status) => status switch
    {
        400 or 422 => StatusCode.InvalidArgument,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.NotFound,
        409 => StatusCode.FailedPrecondition,
        413 or 429 => StatusCode.ResourceExhausted,
        503 => StatusCode.Unavailable,
        502 => StatusCode.Unknown,
        _ => StatusCode.Internal,
    };

    /// <summary>The refusal as the call's status and trailer.</summary>
    public static RpcException Refusal(int status, string reason) =>
        new(new Status(CodeOf(status), reason), new Metadata { { Trailer, status.ToString(System.Globalization.CultureInfo.InvariantCulture) } });

    /// <summary>The protocol's code of a refused call: the trailer's, or for a status without one (gRPC's own refusals), the nearest number.</summary>
    public static int StatusOf(RpcException e) =>
        int.TryParse(e.Trailers.GetValue(Trailer), System.Globalization.CultureInfo.InvariantCulture, out int status) ? status : e.StatusCode switch
        {
            StatusCode.InvalidArgument or StatusCode.OutOfRange => 400,
            StatusCode.Unauthenticated => 401,
            StatusCode.PermissionDenied => 403,
            StatusCode.NotFound or StatusCode.Unimplemented => 404,
            StatusCode.FailedPrecondition or StatusCode.Aborted or StatusCode.AlreadyExists => 409,
            StatusCode.ResourceExhausted => 413,
            StatusCode.Unavailable => 503,
            StatusCode.DeadlineExceeded => 504,
            _ => 500,
        };
}
