using Cohort.Federated.Aggregation;
using Cohort.Federated.Config;

namespace Cohort.Federated.Attacks;

/// <summary>Maps attack.* to an attack (null for none).</summary>
public static class AttackFactory
{
    /// <summary>The attack; the ones that search against the defence rehearse the server's own <paramref name="aggregator"/>.</summary>
    public static IAttack? Create(ExperimentConfig config, IAggregator aggregator) => config.Get("attack.name") switch
    {
        "alie-opt" => new ScaleSearchAttack(alie: true, Defence(aggregator)),
        "ipm-opt" => new ScaleSearchAttack(alie: false, Defence(aggregator)),
        "none" => null,
        "label-flip" => new LabelFlip(),
        "bit-flip" => new BitFlip(),
        "sign-flip" => new SignFlip(),
        "gaussian" => new GaussianNoise(config.GetDouble("attack.sigma")),
        "ipm" => new InnerProductManipulation(config.GetDouble("attack.epsilon")),
        "alie" => new LittleIsEnough(config.GetOptionalDouble("attack.z")),
        "mimic" => new Mimic(),
        "nan" => new NonFinite(float.NaN),
        "inf" => new NonFinite(float.PositiveInfinity),
        var name => throw new ConfigException($"attack.name: '{name}' is not available."),
    };

    private static IRehearsable Defence(IAggregator aggregator) => aggregator as IRehearsable
        ?? throw new ConfigException($"attack.name: {aggregator.Name} cannot be rehearsed, so a search against it is not available; choose alie or ipm.");

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
