using Cohort.NN.Modules;
using Cohort.NN.Zoo;

namespace Cohort.Federated.Components.Models;

/// <summary>
/// The zoo's models as components (model): each declares itself in its own file in Cohort.NN/Zoo
/// (<see cref="ZooEntry"/>), which knows no config keys; models take none.
/// </summary>
public static class ZooModels
{
    public static IEnumerable<ComponentDeclaration> Declarations =>
        ModelZoo.All.Select(e => new ComponentDeclaration<ZooEntry, Func<ParameterBuilder, ModelOptions, Module>>(ComponentKind.Model, e.Name, e.Doc, z => z.Build));
}
