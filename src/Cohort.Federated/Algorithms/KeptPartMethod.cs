using Cohort.Federated.Config;
using Cohort.Federated.Personal;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// A FedAvg-style method whose clients each keep part of the model (the parameters <c>algorithm.personal</c>
/// names, <see cref="IFederatedAlgorithm.PersonalPatterns"/>) and federate the rest: FedPer, FedRep,
/// LG-FedAvg. The engine starts each client from the broadcast with its own part, keeps the part after
/// its training and withholds it from the update; the server applies the mean of the shared part's changes.
/// </summary>
internal abstract class KeptPartMethod : IFederatedAlgorithm
{
    /// <param name="name">The method's algorithm.name.</param>
    /// <param name="kept">The kept part's parameter-name patterns.</param>
    /// <param name="part">What the kept part is called in errors (the personalization layers).</param>
    /// <param name="example">Names of the kept part an error suggests (e.g. fc3.*).</param>
    protected KeptPartMethod(string name, IReadOnlyList<string> kept, string part, string example)
    {
        Name = name;
        PersonalPatterns = kept.Count > 0 ? kept
            : throw new ConfigException($"{PersonalParameters.Key} names no parameter: give the {part}' names (e.g. {example}).");
    }

    public string Name { get; }

    public IReadOnlyList<string> PersonalPatterns { get; }

    public void InitializeServer(ServerState server)
    {
    }

    public virtual ClientResult RunClient(ClientContext context) => LocalTraining.RunToDelta(context);

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => ServerStep.Apply(server, aggregate.Update);
}
