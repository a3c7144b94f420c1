namespace Cohort.Transport.Client;

/// <summary>The server answered with an error status; the message carries its reason.</summary>
internal sealed class ServerRejectedException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
