namespace Cohort.Data.Fetch;

/// <summary>
/// A temporary folder beside the destination (same file system, so moves are atomic). Files are
/// written and verified there, then moved into place; disposing without committing deletes it, so
/// a failed fetch leaves nothing half-written in the destination.
/// </summary>
public sealed class StagingFolder : IDisposable
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
        Folder = Path.Combine(parent, $".{Path.GetFileName(_destination)}.partial-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(Folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FetchException($"{_destination}: cannot create a staging folder beside it ({e.Message.TrimEnd('.')}).");
        }
    }

    public string Folder { get; }

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
