using System.Text;

namespace Cohort.Data.Tests.Fetch;

/// <summary>Writes GNU ar archives (as dpkg-deb does) for the reader and .deb tests.</summary>
public static class ArArchive
{
    public static byte[] Build(IEnumerable<(string Name, byte[] Data)> members)
    {
        var output = new MemoryStream();
        output.Write("!<arch>\n"u8);
        foreach (var (name, data) in members)
        {
            string header = $"{name + "/",-16}{"0",-12}{"0",-6}{"0",-6}{"100644",-8}{data.Length,-10}`\n";
            output.Write(Encoding.ASCII.GetBytes(header));
            output.Write(data);
            if (data.Length % 2 == 1)
            {
                output.WriteByte((byte)'\n');
            }
        }
        return output.ToArray();
    }
}
