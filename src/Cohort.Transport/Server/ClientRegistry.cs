using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>The clients that have registered: their training-sample counts (their weights), whether they score their test splits, and when they were last heard from.</summary>
internal sealed class ClientRegistry(int clients, Action<ClientRegistry.Registration>? persist = null)
{
    private readonly object _gate = new();
    private readonly Dictionary<int, Registration> _registered = [];

    /// <summary>A client's registration, as the server's records keep it (a restarted server still knows which clients score their test splits).</summary>
    public sealed record Registration(int Client, long TrainSamples, long TestSamples, DateTimeOffset LastSeen, bool ScoresTestSplit = false);

    /// <summary>Clients the experiment has (valid ids are 0 … Clients − 1).</summary>
    public int Clients => clients;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _registered.Count;
            }
        }
    }

    /// <summary>
    /// Records a client's data; a client that comes back must hold the same number of training samples, or its weight would change mid-run.
    /// A client without training samples is refused: it has nothing to train on, and a count once recorded binds its token for the run.
    /// </summary>
    public void Register(int client, long trainSamples, long testSamples, bool scoresTestSplit = false)
    {
        if (trainSamples < 1 || trainSamples > int.MaxValue)
        {
            throw new ProtocolException(422, $"register: {trainSamples} training samples; a client needs 1 to {int.MaxValue} (a client without training data cannot take part).");
        }
        if (testSamples < 0 || testSamples > int.MaxValue)
        {
            throw new ProtocolException(422, $"register: {testSamples} test samples; a count is 0 to {int.MaxValue}.");
        }
        lock (_gate)
        {
            if (_registered.TryGetValue(client, out var before) && before.TrainSamples != trainSamples)
            {
                throw new ProtocolException(409, $"register: client {client} registered {before.TrainSamples} training samples before and now {trainSamples}; its weight cannot change during a run.");
            }
            var registration = new Registration(client, trainSamples, testSamples, DateTimeOffset.UtcNow, scoresTestSplit);
            if (before is null || before.TestSamples != testSamples || before.ScoresTestSplit != scoresTestSplit)
            {
                persist?.Invoke(registration);
            }
            _registered[client] = registration;
        }
        Changed?.Invoke();
    }

    /// <summary>Restores a registration from the server's records (no checks, no event).</summary>
    public void Restore(Registration registration)
    {
        lock (_gate)
        {
            _registered[registration.Client] = registration;
        }
    }

    public Registration? Find(int client)
    {
        lock (_gate)
        {
            return _registered.GetValueOrDefault(client);
        }
    }

    public void Touch(int client)
    {
        lock (_gate)
        {
            if (_registered.TryGetValue(client, out var r))
            {
                _registered[client] = r with { LastSeen = DateTimeOffset.UtcNow };
            }
        }
    }

    public IReadOnlyList<Registration> All()
    {
        lock (_gate)
        {
            return _registered.Values.OrderBy(r => r.Client).ToList();
        }
    }

    /// <summary>Raised after a registration (the server waits for clients before the first round).</summary>
    public event Action? Changed;
}
