using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;

namespace Cohort.Federated.Tests.Quadratics;

/// <summary>Client drift on a heterogeneous quadratic: FedAvg's fixed point is biased, SCAFFOLD's is the optimum.</summary>
public class ConvergenceTests
{
    [Fact]
    public void ScaffoldReachesTheOptimumWhereFedAvgStaysBiased()
    {
        // Four clients whose optima are far apart; full participation, ten local steps a round.
        Quadratic[] clients = [Quadratic.Random(8, 3, 11, 3), Quadratic.Random(8, 3, 12, -3), Quadratic.Random(8, 3, 13, 2), Quadratic.Random(8, 3, 14, -1)];
        var optimum = Quadratic.Optimum(clients, [1, 1, 1, 1]);
        var work = new LocalWork(null, 10, 1000, 0.1f, "sgd", 0, 0);
        double Distance(IFederatedAlgorithm algorithm)
        {
            using var fed = new QuadraticFederation(algorithm, clients, work);
            for (int round = 1; round <= 300; round++)
            {
                fed.Run(round);
            }
            return Reference.Distance(optimum, fed.X);
        }
        double scaffold = Distance(new Scaffold(false, 1f)), fedavg = Distance(new FedAvg());
        Assert.True(scaffold < 1e-3, $"SCAFFOLD is {scaffold} from the optimum");
        Assert.True(fedavg > 0.05, $"FedAvg is {fedavg} from the optimum");
    }
}
