namespace Cohort.Transport.Wire;

/// <summary>A request or reply that breaks the protocol; <see cref="Status"/> is the HTTP status that answers it and the message its reason.</summary>
internal sealed class ProtocolException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
