using System.Text;

namespace Cohort.Federated.Outputs;

/// <summary>
/// A text file that only grows by whole lines, each flushed to disk as it is written, so a run that
/// crashes keeps every line written before the crash and what was there before it began.
/// </summary>
internal sealed class AppendOnlyFile : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly FileStream _stream;

    public AppendOnlyFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path) ?? ".");
        WasEmpty = !File.Exists(Path) || new FileInfo(Path).Length == 0;
        bool endsMidLine = !WasEmpty && !EndsWithNewline(Path);
        _stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        if (endsMidLine)
        {
            // A line cut short by a crash stays as it is, but new lines start on a line of their own.
            _stream.WriteByte((byte)'\n');
        }
    }

    public string Path { get; }

    /// <summary>Whether the file was absent or empty when opened (so a header is still to be written).</summary>
    public bool WasEmpty { get; }

    public void WriteLine(string line)
    {
        _stream.Write(Utf8.GetBytes(line + "\n"));
        _stream.Flush(flushToDisk: true);
    }

    public void Dispose() => _stream.Dispose();

    private static bool EndsWithNewline(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte() == '\n';
    }
}
