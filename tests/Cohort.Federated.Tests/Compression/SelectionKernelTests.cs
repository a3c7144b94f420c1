using Cohort.Federated.Compression;

namespace Cohort.Federated.Tests.Compression;

/// <summary>The vector index filter and top-k's sampled threshold against their references.</summary>
public class SelectionKernelTests
{
    [Theory]
    [InlineData(0f)]
    [InlineData(0.7f)]
    [InlineData(float.PositiveInfinity)]
    public void IndicesAtLeastMatchTheScalarFilter(float threshold)
    {
        foreach (int n in Kernels.Lengths())
        {
            var input = Kernels.Input(n, (ulong)n, specials: true);
            var fast = new int[n + 8];
            var slow = new int[n];
            int found = Indices.AtLeast(input, threshold, fast, n);
            int expected = Indices.AtLeastScalar(input, threshold, slow);
            Assert.Equal(expected, found);
            Assert.Equal(slow[..expected], fast[..found]);
            // A cap below the count gives up.
            if (expected > 0)
            {
                Assert.Equal(-1, Indices.AtLeast(input, threshold, new int[expected + 7], expected - 1));
            }
        }
    }

    [Theory]
    [InlineData(300_000, 3000, 1f)]
    [InlineData(300_000, 1, 1f)]
    [InlineData(500_001, 20_000, 1f)]
    [InlineData(300_000, 3000, 0f)] // every magnitude rounded to a few levels: ties everywhere
    [InlineData(300_000, 18_000, 0f)]
    public void SampledTopKMatchesSelectionOverAllValues(int n, int k, float spread)
    {
        var input = Codes.Normal(n, (ulong)k, 0.01f);
        if (spread == 0)
        {
            for (int i = 0; i < n; i++)
            {
                input[i] = MathF.Round(input[i] * 100) / 100;
            }
        }
        var fast = new int[k];
        var slow = new int[k];
        TopK.Select(input, fast);
        TopK.SelectAll(input, slow);
        Assert.Equal(slow, fast);
        Assert.True(fast.SequenceEqual(fast.Order()));
    }
}
