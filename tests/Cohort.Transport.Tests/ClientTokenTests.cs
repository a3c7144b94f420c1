using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using Cohort.Transport.Security;

namespace Cohort.Transport.Tests;

/// <summary>Secrets off the command line and out of other users' reach: a client's token from a file or the environment, the development certificate's key under a password, both files owner-only.</summary>
public class SecretsTests
{
    [Fact]
    public void AClientsTokenComesFromTheOptionTheFileOrTheEnvironmentAndExactlyOneOfTheOptions()
    {
        using var temp = SmallMnist.Temp();
        string file = Path.Combine(temp.Path, "client.token");
        File.WriteAllText(file, "  from-the-file  \nignored\n");
        Assert.Equal("from-the-option", ClientToken.Resolve("from-the-option", null, "from-the-environment"));
        Assert.Equal("from-the-file", ClientToken.Resolve(null, file, "from-the-environment"));
        Assert.Equal("from-the-environment", ClientToken.Resolve(null, null, "from-the-environment\n"));
        Assert.Contains("not both", Assert.Throws<ArgumentException>(() => ClientToken.Resolve("a", file, null)).Message, StringComparison.Ordinal);
        Assert.Contains(ClientToken.EnvironmentVariable, Assert.Throws<ArgumentException>(() => ClientToken.Resolve(null, null, " ")).Message, StringComparison.Ordinal);
        File.WriteAllText(file, "\n");
        Assert.Contains("is empty", Assert.Throws<InvalidDataException>(() => ClientToken.Resolve(null, file, null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDevelopmentCertificatesKeyIsOwnerOnlyAndOpensOnlyWithThePasswordBesideIt()
    {
        using var temp = SmallMnist.Temp();
        // A world-readable file left from before is replaced, not reused with its mode.
        File.WriteAllText(Path.Combine(temp.Path, DevCertificates.ServerFile), "old");
        var (server, _) = DevCertificates.Create(temp.Path);
        string passwordFile = DevCertificates.PasswordFileOf(server);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(server));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
        }
        string password = File.ReadAllText(passwordFile).Trim();
        Assert.True(password.Length >= 32, password);
        Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12FromFile(server, password: null));
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(server, password);
        Assert.True(certificate.HasPrivateKey);
        // A password given is used as it is.
        var (given, _) = DevCertificates.Create(Path.Combine(temp.Path, "given"), "a given password");
        using var opened = X509CertificateLoader.LoadPkcs12FromFile(given, "a given password");
        Assert.Equal("CN=localhost", opened.Subject);
    }
}
