using Cohort.Data;
using Cohort.Federated.Aggregation;
using Cohort.Federated.Partitions;
using Cohort.Federated.Stages;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Attacks;

/// <summary>
/// The Byzantine clients of a run (a seeded set) and one round of their attack, a server-side stage
/// run before every other: in the round's last exchange, Byzantine updates are held back and honest ones
/// observed as they arrive (per-update hook); at the exchange's end each Byzantine update is crafted
/// from the honest ones (in a canonical order, so arrival order does not matter) and handed on.
/// </summary>
internal sealed class ByzantineClients : IUpdateStage
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

    public string Name => "byzantine";

    public void BeginRound(int round)
    {
        lock (_gate)
        {
            _honest.Clear();
            _held.Clear();
        }
    }

    /// <summary>In the round's last exchange, a Byzantine client's update is held until the honest ones are in.</summary>
    public bool Holds(StageContext context, ReadOnlySpan<float> update)
    {
        if (!Attacks(context) || !Contains(context.Client))
        {
            return false;
        }
        var copy = update.ToArray();
        lock (_gate)
        {
            _held[context.Client] = (copy, context.Weight);
        }
        return true;
    }

    /// <summary>Observes an honest update of the round's last exchange (the attack crafts from them); changes nothing.</summary>
    public bool OnReceived(StageContext context, Span<float> update)
    {
        if (Attacks(context) && !Contains(context.Client))
        {
            var copy = update.ToArray();
            lock (_gate)
            {
                _honest.Add(copy);
            }
        }
        return true;
    }

    /// <summary>Crafts the held clients' updates (in client order) from the honest ones and hands each on; returns how many.</summary>
    public int OnExchangeEnd(StageContext context, HeldUpdateSink release)
    {
        if (!Attacks(context))
        {
            return 0;
        }
        var honest = _honest.OrderBy(u => u, UpdateOrder.Instance).ToArray();
        foreach (var (client, (update, weight)) in _held)
        {
            _attack.Craft(new AttackContext(context.Round, client, _seed, _held.Count, context.Cohort.Count), honest, update);
            release(client, update, weight);
        }
        return _held.Count;
    }

    private static bool Attacks(StageContext context) => context.Exchange == context.Exchanges - 1;
}
