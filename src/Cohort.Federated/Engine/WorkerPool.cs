using System.Runtime.ExceptionServices;

namespace Cohort.Federated.Engine;

/// <summary>
/// One thread per worker, each with its own model replica; items are taken in order by whichever
/// worker is free. Results must not depend on that assignment (aggregation is order-independent).
/// </summary>
internal sealed class WorkerPool : IWorkerPool
{
    private readonly Worker[] _workers;

    public WorkerPool(int workers, Func<int, Worker> create)
    {
        if (workers < 1)
        {
            throw new ArgumentException($"threads must be at least 1; got {workers}.");
        }
        _workers = Enumerable.Range(0, workers).Select(create).ToArray();
    }

    public int Workers => _workers.Length;

    public IReadOnlyList<Worker> All => _workers;

    public void ForEach(int count, Action<Worker, int> body)
    {
        if (count == 0)
        {
            return;
        }
        int next = -1;
        ExceptionDispatchInfo? failure = null;
        void Loop(Worker worker)
        {
            int item;
            while (Volatile.Read(ref failure) is null && (item = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    body(worker, item);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                }
            }
        }
        int active = Math.Min(_workers.Length, count);
        if (active == 1)
        {
            Loop(_workers[0]);
        }
        else
        {
            var threads = new Thread[active];
            for (int w = 0; w < active; w++)
            {
                var worker = _workers[w];
                threads[w] = new Thread(() => Loop(worker)) { IsBackground = true, Name = $"cohort-worker-{w}" };
                threads[w].Start();
            }
            foreach (var t in threads)
            {
                t.Join();
            }
        }
        failure?.Throw();
    }

    public void Dispose()
    {
    }
}
