using System.Net;

namespace Cohort.Transport.Server;

/// <summary>A --listen URL: https on any address, or cleartext http on a loopback address only (for tests).</summary>
internal sealed record ListenAddress(bool Tls, IPEndPoint EndPoint)
{
    public static ListenAddress Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https") || uri.AbsolutePath != "/")
        {
            throw new FormatException($"--listen '{url}': expected https://HOST:PORT (or http://127.0.0.1:PORT for tests).");
        }
        IPAddress address = uri.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "0.0.0.0" => IPAddress.Any,
            "[::]" => IPAddress.IPv6Any,
            var host => IPAddress.TryParse(host, out var ip) ? ip : throw new FormatException($"--listen '{url}': host '{host}' is not an IP address or localhost."),
        };
        bool tls = uri.Scheme == "https";
        if (!tls && !IPAddress.IsLoopback(address))
        {
            throw new FormatException($"--listen '{url}': cleartext http is served on loopback addresses only; use https with --cert.");
        }
        return new ListenAddress(tls, new IPEndPoint(address, uri.Port));
    }
}
