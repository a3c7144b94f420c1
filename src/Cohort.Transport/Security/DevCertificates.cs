using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cohort.Transport.Security;

/// <summary>
/// Certificates for tests and trials: a throw-away certificate authority (ca.pem, given to clients'
/// --ca) and a server certificate it signs for localhost, 127.0.0.1 and ::1 (server.pfx, for --cert). The server's key is
/// encrypted with a password, generated unless given; the password goes beside it (server.pfx.password), where
/// `cohort serve` finds it. Both are readable by their owner only.
/// </summary>
internal static class DevCertificates
{
    public const string ServerFile = "server.pfx";
    public const string AuthorityFile = "ca.pem";

    /// <summary>The file beside a PKCS#12 file that holds its password.</summary>
    public static string PasswordFileOf(string certificatePath) => certificatePath + ".password";

    /// <summary>Writes server.pfx, its password file and ca.pem into <paramref name="folder"/>; returns the certificate's and the authority's paths.</summary>
    public static (string Server, string Authority) Create(string folder, string? password = null)
    {
        password ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        Directory.CreateDirectory(folder);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Cohort development CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now, now.AddYears(2));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(ca, now, now.AddYears(1), serial);
        using var server = signed.CopyWithPrivateKey(serverKey);

        string serverPath = Path.Combine(folder, ServerFile), caPath = Path.Combine(folder, AuthorityFile);
        PrivateFile.Write(serverPath, server.Export(X509ContentType.Pfx, password));
        PrivateFile.Write(PasswordFileOf(serverPath), System.Text.Encoding.UTF8.GetBytes(password + "\n"));
        File.WriteAllText(caPath, ca.ExportCertificatePem() + "\n");
        return (serverPath, caPath);
    }
}
