using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Cohort.Transport.Server;

/// <summary>A token bucket per credential (per address for requests without one): a flood from one client is refused with 429 and a reason, the others go on.</summary>
internal static class RequestRates
{
    public static void Configure(RateLimiterOptions limits, int perSecond)
    {
        limits.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limits.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetTokenBucketLimiter(Key(context), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = 2 * perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        limits.OnRejected = async (rejected, cancel) =>
        {
            string reason = string.Create(CultureInfo.InvariantCulture, $"too many requests: at most {perSecond} a second per client; slow down.");
            var response = rejected.HttpContext.Response;
            if (rejected.HttpContext.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
            {
                // A gRPC call is answered with a status alone (trailers-only): RESOURCE_EXHAUSTED and the protocol's 429.
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/grpc";
                response.Headers["grpc-status"] = ((int)Grpc.Core.StatusCode.ResourceExhausted).ToString(CultureInfo.InvariantCulture);
                response.Headers["grpc-message"] = Uri.EscapeDataString(reason);
                response.Headers[Wire.ProtocolStatus.Trailer] = "429";
                return;
            }
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(reason + "\n", cancel);
        };
    }

    private static string Key(HttpContext context)
    {
        string credential = context.Request.Headers.Authorization.ToString();
        // Hashed, so the limiter's table holds no tokens.
        return credential.Length > 0
            ? Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(credential)))
            : "address:" + context.Connection.RemoteIpAddress;
    }
}
