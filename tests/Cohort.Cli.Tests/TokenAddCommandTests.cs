using Cohort.Transport.Security;

namespace Cohort.Cli.Tests;

/// <summary>`cohort token add` keeps the token off stdout unless asked, and writes the client's own file owner-only.</summary>
public class TokenAddCommandTests
{
    [Fact]
    public void TheTokenGoesToTheFilesAndToStdoutOnlyWithPrint()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-token").FullName;
        try
        {
            string tokens = Path.Combine(dir, "tokens.txt"), own = Path.Combine(dir, "client-0.token");
            var (code, output, error) = CommandLineTests.Cohort("token", "add", "0", "--tokens", tokens, "--out", own);
            Assert.True(code == 0, error);
            string token = TokenFile.Load(tokens)[0];
            Assert.Equal(64, token.Length);
            Assert.DoesNotContain(token, output, StringComparison.Ordinal);
            Assert.Contains("client 0's token added to", output, StringComparison.Ordinal);
            Assert.Equal(token, File.ReadAllText(own).Trim());
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(own));
            }

            (code, output, error) = CommandLineTests.Cohort("token", "add", "1", "--tokens", tokens, "--print");
            Assert.True(code == 0, error);
            Assert.Equal(TokenFile.Load(tokens)[1], output.Trim());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
