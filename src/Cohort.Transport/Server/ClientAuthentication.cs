using Cohort.Transport.Security;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>Who a request comes from: the client whose token its `authorization: Bearer` header (gRPC metadata) carries.</summary>
internal static class ClientAuthentication
{
    public static int Authenticate(string? authorization, ClientCredentials credentials, ClientRegistry registry)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal) || authorization.Length == 7)
        {
            throw new ProtocolException(401, "missing credential: send 'authorization: Bearer <token>' (issued by 'cohort token add').");
        }
        int client = credentials.Find(authorization[7..].Trim())
            ?? throw new ProtocolException(401, "invalid credential: the token is not known to this server.");
        if (client >= registry.Clients)
        {
            throw new ProtocolException(403, $"client {client} is outside this experiment's clients 0…{registry.Clients - 1}.");
        }
        registry.Touch(client);
        return client;
    }

    public static void RequireRegistered(ClientRegistry registry, int client)
    {
        if (registry.Find(client) is null)
        {
            throw new ProtocolException(409, $"client {client} has not registered; register first.");
        }
    }
}
