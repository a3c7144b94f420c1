namespace Cohort.Data.Fetch;

/// <summary>
/// A temporary folder beside the destination (same file system, so moves are atomic). Files are
/// written and verified there, then moved into place; disposing without committing deletes it, so
/// a failed fetch leaves nothing half-written in the destination.
/// </summary>
internal sealed class StagingFolder : IDisposable
{
    private readonly string _destination;

    public StagingFolder(string destination)
    {
        _destination = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (File.Exists(_destination))
        {
            throw new FetchException($"{_destination}: is a file, not a folder.");
        }
        string parent = Path.GetDirectoryName(_destination) ?? throw new FetchException($"{_destination}: cannot stage beside the root of the file system.");
        string prefix = $".{Path.GetFileName(_destination)}.partial-";
        Folder = Path.Combine(parent, $"{prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            RemoveAbandoned(parent, prefix);
            Directory.CreateDirectory(Folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FetchException($"{_destination}: cannot create a staging folder beside it ({e.Message.TrimEnd('.')}).");
        }
    }

    public string Folder { get; }

    /// <summary>Deletes staging folders left by fetches that were killed: those whose process is gone.</summary>
    private static void RemoveAbandoned(string parent, string prefix)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }
        foreach (string folder in Directory.GetDirectories(parent, prefix + "*"))
        {
            string owner = Path.GetFileName(folder)[prefix.Length..].Split('-')[0];
            if (!int.TryParse(owner, out int pid) || !IsRunning(pid))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Moves the staged files into the destination: the whole folder when it is new, else file by file (other files there are kept).</summary>
    public void Commit()
    {
        if (!Directory.Exists(_destination))
        {
            Directory.Move(Folder, _destination);
            return;
        }
        foreach (string file in Directory.GetFiles(Folder))
        {
            File.Move(file, Path.Combine(_destination, Path.GetFileName(file)), overwrite: true);
        }
        Directory.Delete(Folder, recursive: true);
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
