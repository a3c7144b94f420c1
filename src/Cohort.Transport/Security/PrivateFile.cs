namespace Cohort.Transport.Security;

/// <summary>Secrets on disk (a private key, its password): written readable and writable by their owner only (Unix mode 0600) from the moment they exist.</summary>
internal static class PrivateFile
{
    public static void Write(string path, ReadOnlySpan<byte> contents)
    {
        // A file already there keeps its mode when overwritten: it is replaced, so the new one is created private.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        stream.Write(contents);
    }

    /// <summary>The first line of a secret's file, trimmed; an empty or missing file is an error naming it and what it is for.</summary>
    public static string ReadLine(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{what} {path} does not exist.");
        }
        string line = File.ReadLines(path).FirstOrDefault()?.Trim() ?? "";
        return line.Length > 0 ? line : throw new InvalidDataException($"{what} {path} is empty.");
    }
}
