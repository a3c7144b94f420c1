namespace Cohort.Transport.Server;

/// <summary>What became of uploads: accepted (and their bytes) and rejected (with the last reason), for the records and the dashboard.</summary>
internal sealed class UploadCounters
{
    private long _accepted, _rejected, _bytes;
    private string? _lastRejection;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long BytesAccepted => Interlocked.Read(ref _bytes);

    public string? LastRejection => Volatile.Read(ref _lastRejection);

    public void CountAccepted(long bytes)
    {
        Interlocked.Increment(ref _accepted);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void CountRejected(string reason)
    {
        Interlocked.Increment(ref _rejected);
        Volatile.Write(ref _lastRejection, reason);
    }
}
