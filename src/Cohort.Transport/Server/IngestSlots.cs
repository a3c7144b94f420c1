namespace Cohort.Transport.Server;

/// <summary>
/// A fixed set of model-sized buffers that uploads are read into before they join the aggregate.
/// Uploads beyond the slots wait (HTTP/2 flow control holds their senders back), so the server's
/// memory is O(slots × model) whatever the number of clients.
/// </summary>
public sealed class IngestSlots
{
    private readonly SemaphoreSlim _free;
    private readonly Stack<float[]> _buffers = new();

    public IngestSlots(int slots, int length)
    {
        if (slots < 1)
        {
            throw new ArgumentException($"ingest slots must be at least 1; got {slots}.");
        }
        _free = new SemaphoreSlim(slots, slots);
        Length = length;
    }

    public int Length { get; }

    public async Task<Slot> TakeAsync(CancellationToken cancel)
    {
        await _free.WaitAsync(cancel).ConfigureAwait(false);
        float[]? buffer;
        lock (_buffers)
        {
            _buffers.TryPop(out buffer);
        }
        // Allocated on first use only, then reused.
        return new Slot(this, buffer ?? new float[Length]);
    }

    private void Return(float[] buffer)
    {
        lock (_buffers)
        {
            _buffers.Push(buffer);
        }
        _free.Release();
    }

    public sealed class Slot(IngestSlots owner, float[] buffer) : IDisposable
    {
        private bool _returned;

        public float[] Buffer { get; } = buffer;

        public void Dispose()
        {
            if (!_returned)
            {
                _returned = true;
                owner.Return(Buffer);
            }
        }
    }
}
