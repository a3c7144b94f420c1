using Cohort.Federated.Compression;

namespace Cohort.Federated.Tests.Compression;

public class SparsifierTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1000, 10)]
    [InlineData(1000, 1000)]
    [InlineData(4097, 41)]
    public void TopKKeepsExactlyTheKLargestMagnitudes(int n, int k)
    {
        var input = Codes.Normal(n, (ulong)n);
        var (_, decoded) = Codes.Send(new TopK(new SparseCount(k)), input);
        var expected = Enumerable.Range(0, n).OrderByDescending(i => Math.Abs(input[i])).ThenBy(i => i).Take(k).ToHashSet();
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(expected.Contains(i) ? input[i] : 0f, decoded[i]);
        }
    }

    [Fact]
    public void TopKBreaksTiesByLowerIndexAndKeepsK()
    {
        float[] input = [1, -2, 2, 0, 2, -2, 1];
        var (_, decoded) = Codes.Send(new TopK(new SparseCount(3)), input);
        Assert.Equal([0f, -2f, 2f, 0f, 2f, 0f, 0f], decoded);
    }

    [Fact]
    public void SelectionFindsTheKthLargestOnSortedReversedAndEqualInput()
    {
        for (int n = 1; n < 60; n += 7)
        {
            var sorted = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
            for (int k = 1; k <= n; k += 3)
            {
                Assert.Equal(n - k, Selection.KthLargest(sorted.ToArray(), k));
                Assert.Equal(n - k, Selection.KthLargest(sorted.Reverse().ToArray(), k));
                Assert.Equal(2f, Selection.KthLargest(Enumerable.Repeat(2f, n).ToArray(), k));
            }
        }
    }

    [Fact]
    public void RandKSendsKDistinctValuesScaledByDOverK()
    {
        var input = Codes.Normal(500, 8);
        var (_, decoded) = Codes.Send(new RandK(new SparseCount(0.1)), input);
        var kept = Enumerable.Range(0, 500).Where(i => decoded[i] != 0).ToList();
        Assert.Equal(50, kept.Count);
        Assert.All(kept, i => Assert.Equal(input[i] * 10f, decoded[i]));
    }

    [Theory]
    [InlineData(0.01, 1000, 10)]
    [InlineData(0.0001, 1000, 1)]
    [InlineData(25, 1000, 25)]
    [InlineData(5000, 1000, 1000)]
    public void SparseCountIsAFractionOrACountAndAtLeastOne(double k, int n, int expected) =>
        Assert.Equal(expected, new SparseCount(k).Of(n));
}
