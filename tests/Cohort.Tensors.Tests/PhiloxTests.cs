using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class PhiloxTests
{
    // Known-answer vectors of Random123 (kat_vectors): counter[4], key[2] → output[4].
    [Theory]
    [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void MatchesPublishedVectors(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint r0, uint r1, uint r2, uint r3)
    {
        Assert.Equal((r0, r1, r2, r3), Philox.Block(c0, c1, c2, c3, k0, k1));
    }

    [Fact]
    public void StreamsAreReproducibleAndIndependent()
    {
        var a = RandomStream.Create(42, 1, 2);
        var b = RandomStream.Create(42, 1, 2);
        var c = RandomStream.Create(42, 2, 1);
        var d = RandomStream.Create(43, 1, 2);
        int sameAsC = 0, sameAsD = 0;
        for (int i = 0; i < 1000; i++)
        {
            uint va = a.NextUInt32();
            Assert.Equal(va, b.NextUInt32());
            sameAsC += va == c.NextUInt32() ? 1 : 0;
            sameAsD += va == d.NextUInt32() ? 1 : 0;
        }
        Assert.True(sameAsC < 3 && sameAsD < 3);
    }

    [Fact]
    public void SeekReplaysTheSameBlocks()
    {
        var a = RandomStream.Create(7, 3);
        for (int i = 0; i < 40; i++)
        {
            a.NextUInt32();
        }
        uint expected = a.NextUInt32();
        var b = RandomStream.Create(7, 3);
        b.Seek(10);
        Assert.Equal(expected, b.NextUInt32());
    }

    [Fact]
    public void UniformAndNormalHaveTheRightMoments()
    {
        var r = RandomStream.Create(5);
        const int n = 200_000;
        double sumU = 0, sumN = 0, sumN2 = 0;
        for (int i = 0; i < n; i++)
        {
            float u = r.NextFloat();
            Assert.InRange(u, 0f, 0.99999994f);
            sumU += u;
            double z = r.NextNormal();
            sumN += z;
            sumN2 += z * z;
        }
        Assert.InRange(sumU / n, 0.497, 0.503);
        Assert.InRange(sumN / n, -0.01, 0.01);
        Assert.InRange(sumN2 / n, 0.98, 1.02);
    }

    [Fact]
    public void NextIntIsUnbiasedAndInRange()
    {
        var r = RandomStream.Create(9);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++)
        {
            counts[r.NextInt(7)]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.NextInt(0));
    }
}
