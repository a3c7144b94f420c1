namespace Cohort.Federated.Components;

/// <summary>
/// Where components of a kind sit in the experiment file: the key that selects one (null where each
/// component is switched on by its own keys) and the prefix of the keys they declare.
/// </summary>
public sealed record ComponentSlot(string? Selector, string Prefix, string? Default, string Doc)
{
    /// <summary>The slots of each kind; a compressor fills two (uplink and downlink).</summary>
    public static IReadOnlyList<ComponentSlot> Of(ComponentKind kind) => kind switch
    {
        ComponentKind.Algorithm => [new("algorithm.name", "algorithm.", "fedavg", "the federated method")],
        ComponentKind.Compressor => [Compression("uplink"), Compression("downlink")],
        ComponentKind.Aggregator => [new("aggregator.name", "aggregator.", "mean", "how updates are combined")],
        ComponentKind.PreAggregation => [new(null, "aggregator.", null, "steps on the updates before the aggregator combines them")],
        ComponentKind.Attack => [new("attack.name", "attack.", "none", "simulated Byzantine attack")],
        ComponentKind.Stage => [new(null, "", null, "steps on each client's update before it is sent")],
        ComponentKind.Partitioner => [new("partition.kind", "partition.", "iid", "how the training data is split among clients")],
        ComponentKind.Model => [new("model", "model.", "cnn", "the zoo model")],
        ComponentKind.Dataset => [new("dataset.name", "dataset.", null, "the data set")],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>How the kind is named in text: "pre-aggregation rule", "data set".</summary>
    public static string Label(ComponentKind kind) => kind switch
    {
        ComponentKind.PreAggregation => "pre-aggregation rule",
        ComponentKind.Dataset => "data set",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static ComponentSlot Compression(string direction) =>
        new($"compression.{direction}.name", $"compression.{direction}.", "none", $"{direction} compression");
}
