using Cohort.Federated.Aggregation;
using Cohort.Federated.Components;
using Cohort.Federated.Config;

namespace Cohort.Federated.Attacks;

/// <summary>Builds the attack attack.name selects (null for none), and reads the Byzantine count.</summary>
internal static class AttackFactory
{
    /// <summary>The attack attack.name selects (null for none), by its declaration.</summary>
    public static IAttack? Create(ExperimentConfig config, IAggregator aggregator) =>
        ComponentRegistry.Selected<AttackArgs, IAttack?>(config, ComponentKind.Attack).Create(new AttackArgs(config, aggregator));

    /// <summary>attack.byzantine as a count: a number below 1 is a fraction of all clients.</summary>
    public static int ByzantineCount(ExperimentConfig config, int clients)
    {
        double value = config.GetDouble("attack.byzantine");
        int count = value < 1 ? (int)Math.Round(value * clients) : (int)value;
        if (value >= 1 && value != Math.Floor(value))
        {
            throw new ConfigException($"attack.byzantine: {value} is neither a whole number of clients nor a fraction below 1.");
        }
        if (count > clients)
        {
            throw new ConfigException($"attack.byzantine: {count} Byzantine clients among only {clients}.");
        }
        return count;
    }
}
