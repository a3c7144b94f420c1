using Cohort.Federated.Aggregation;

namespace Cohort.Federated.Tests.Compression;

public class MajorityVoteTests
{
    [Fact]
    public void EachCoordinateTakesTheMajoritySignAndTheMeanMagnitudeInAnyOrder()
    {
        float[][] updates = [[0.5f, -0.5f, 0.1f], [0.5f, 0.25f, -0.2f], [-0.5f, -0.25f, 0f]];
        float[] Aggregate(IEnumerable<int> order)
        {
            var vote = new MajorityVote();
            vote.Begin(3);
            foreach (int k in order)
            {
                // Weights do not count: one client, one vote.
                vote.Add(updates[k], k * 100 + 1);
            }
            var result = new float[3];
            vote.Complete(result);
            return result;
        }
        var result = Aggregate([0, 1, 2]);
        Assert.Equal([0.5f, -1f / 3, 0f], result);
        Assert.Equal(result, Aggregate([2, 0, 1]));
    }
}
