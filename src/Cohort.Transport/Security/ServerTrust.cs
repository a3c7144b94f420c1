using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Cohort.Transport.Security;

/// <summary>A client's check of the server's certificate against one given authority (--ca) instead of the system's.</summary>
internal static class ServerTrust
{
    public static RemoteCertificateValidationCallback For(string caPemPath)
    {
        if (!File.Exists(caPemPath))
        {
            throw new FileNotFoundException($"--ca {caPemPath} does not exist.");
        }
        var authority = X509Certificate2.CreateFromPem(File.ReadAllText(caPemPath));
        return (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                return false;
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
    }
}
