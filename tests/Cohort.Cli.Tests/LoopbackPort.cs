using System.Net;
using System.Net.Sockets;

namespace Cohort.Cli.Tests;

/// <summary>A loopback port free now, for a server a test starts (and restarts) on a known address.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
