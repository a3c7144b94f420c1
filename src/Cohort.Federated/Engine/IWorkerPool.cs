namespace Cohort.Federated.Engine;

/// <summary>
/// Where clients run. The round engine hands it the cohort and a body to run per client; in-process
/// workers, remote clients and cluster ranks are all executors, and algorithms never know which.
/// </summary>
internal interface IWorkerPool : IDisposable
{
    /// <summary>Number of clients that may run at once.</summary>
    int Workers { get; }

    /// <summary>Runs <paramref name="body"/> for each item, each call on some worker; returns when all are done.</summary>
    void ForEach(int count, Action<Worker, int> body);
}
