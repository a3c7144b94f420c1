namespace Cohort.Federated.Engine;

/// <summary>A cohort executor that decides each round's cohort itself (an asynchronous one: the clients whose updates arrive), instead of the round loop's sample.</summary>
internal interface ICohortSource
{
    /// <summary>The clients whose updates round <paramref name="round"/> takes, in the order they are handed over.</summary>
    int[] CohortOf(int round);
}
