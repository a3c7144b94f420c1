using Cohort.Federated.Algorithms;

namespace Cohort.Federated.Engine;

/// <summary>Binds a worker's objective to a client's data for a round.</summary>
internal delegate ILocalObjective ObjectiveBinder(Worker worker, int client, int round);
