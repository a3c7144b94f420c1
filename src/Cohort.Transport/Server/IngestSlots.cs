using Cohort.Federated.Algorithms;

namespace Cohort.Transport.Server;

/// <summary>
/// A fixed set of buffers that uploads are read into before they join the aggregate: the update and
/// the method's other uplink vectors (a <see cref="ClientBuffers"/>), and the bytes of a compressed
/// update. Uploads beyond the slots wait (HTTP/2 flow control holds their senders back), so the
/// server's memory is O(slots × model × uplink vectors) whatever the number of clients.
/// </summary>
internal sealed class IngestSlots
{
    private readonly SemaphoreSlim _free;
    private readonly Stack<Slot> _idle = new();

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

    public async Task<Lease> TakeAsync(CancellationToken cancel)
    {
        await _free.WaitAsync(cancel).ConfigureAwait(false);
        Slot? slot;
        lock (_idle)
        {
            _idle.TryPop(out slot);
        }
        // Allocated on first use only, then reused.
        return new Lease(this, slot ?? new Slot(new ClientBuffers(Length)));
    }

    private void Return(Slot slot)
    {
        lock (_idle)
        {
            _idle.Push(slot);
        }
        _free.Release();
    }

    /// <summary>One slot's memory: the values, and a byte buffer for compressed messages that grows to the largest seen.</summary>
    public sealed class Slot(ClientBuffers values)
    {
        private byte[] _message = [];

        public ClientBuffers Values { get; } = values;

        public Memory<byte> Message(int length)
        {
            if (_message.Length < length)
            {
                _message = new byte[length];
            }
            return _message.AsMemory(0, length);
        }
    }

    public sealed class Lease(IngestSlots owner, Slot slot) : IDisposable
    {
        private bool _returned;

        public Slot Slot { get; } = slot;

        public void Dispose()
        {
            if (!_returned)
            {
                _returned = true;
                owner.Return(Slot);
            }
        }
    }
}
