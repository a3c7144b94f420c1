using Cohort.Data;
using Cohort.Federated.Aggregation;
using Cohort.Federated.Partitions;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Attacks;

/// <summary>
/// The Byzantine clients of a run (a seeded set) and one round of their attack: honest updates are
/// observed as they arrive, Byzantine ones held back; after the cohort, each Byzantine update is
/// crafted from the honest ones (in a canonical order, so arrival order does not matter) and added.
/// </summary>
internal sealed class ByzantineClients
{
    private readonly IAttack _attack;
    private readonly HashSet<int> _members;
    private readonly FederatedData? _flipped;
    private readonly object _gate = new();
    private readonly List<float[]> _honest = [];
    private readonly SortedDictionary<int, (float[] Update, double Weight)> _held = [];
    private readonly ulong _seed;

    public ByzantineClients(IAttack attack, int count, FederatedData data, ulong seed)
    {
        _attack = attack;
        _seed = seed;
        var order = Enumerable.Range(0, data.Clients).ToArray();
        var random = RandomStream.Create(seed, RandomStream.Purpose("byzantine"));
        random.Shuffle(order.AsSpan());
        _members = [.. order.Take(count)];
        if (attack.FlipsLabels)
        {
            var train = data.Train;
            var labels = train.Labels.Select(y => train.Classes - 1 - y).ToArray();
            _flipped = new FederatedData(new TrainTest(train.WithLabels(labels), data.Test), data.Partition);
        }
    }

    public int Count => _members.Count;

    public IAttack Attack => _attack;

    public bool Contains(int client) => _members.Contains(client);

    /// <summary>The data a client trains on: flipped labels for a Byzantine label flipper.</summary>
    public FederatedData DataFor(int client, FederatedData data) => _flipped is not null && Contains(client) ? _flipped : data;

    public void BeginRound()
    {
        lock (_gate)
        {
            _honest.Clear();
            _held.Clear();
        }
    }

    public void Observe(ReadOnlySpan<float> honest)
    {
        var copy = honest.ToArray();
        lock (_gate)
        {
            _honest.Add(copy);
        }
    }

    public void Hold(int client, ReadOnlySpan<float> update, double weight)
    {
        var copy = update.ToArray();
        lock (_gate)
        {
            _held[client] = (copy, weight);
        }
    }

    /// <summary>Crafts the held clients' updates (in client order) and hands each, with its client, to <paramref name="add"/>; returns how many.</summary>
    public int Release(int round, int cohortSize, Action<int, float[], double> add)
    {
        var honest = _honest.OrderBy(u => u, UpdateOrder.Instance).ToArray();
        foreach (var (client, (update, weight)) in _held)
        {
            _attack.Craft(new AttackContext(round, client, _seed, _held.Count, cohortSize), honest, update);
            add(client, update, weight);
        }
        return _held.Count;
    }
}
