namespace Cohort.Transport.Durability;

/// <summary>A file written whole or not at all: into a temporary file, flushed to disk, then renamed over the target.</summary>
internal static class DurableFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
