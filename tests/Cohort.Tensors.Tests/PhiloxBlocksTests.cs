using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class PhiloxBlocksTests
{
    [Theory]
    [InlineData(0ul)]
    [InlineData(5ul)]
    [InlineData(0xFFFFFFF0ul)] // a run of eight blocks crossing 2^32 in the counter
    [InlineData(0x1234_FFFF_FFFDul)]
    public void VectorBlocksMatchTheScalarOnes(ulong first)
    {
        for (int blocks = 0; blocks <= 64; blocks++)
        {
            var fast = new uint[4 * blocks];
            var slow = new uint[4 * blocks];
            PhiloxBlocks.Fill(first, 0x243f6a88u, 0x85a308d3u, 0xa4093822u, 0x299f31d0u, fast);
            PhiloxBlocks.FillScalar(first, 0x243f6a88u, 0x85a308d3u, 0xa4093822u, 0x299f31d0u, slow);
            Assert.Equal(slow, fast);
        }
    }

    [Fact]
    public void StreamFillGivesTheNumbersNextUInt32Would()
    {
        // Odd lengths and odd starting points: the fill must take up a partly used block and leave one.
        foreach (int skip in new[] { 0, 1, 3, 4, 7 })
        {
            for (int n = 0; n <= 256; n += n < 40 ? 1 : 37)
            {
                var a = RandomStream.Create(11, 2, 3);
                var b = RandomStream.Create(11, 2, 3);
                for (int i = 0; i < skip; i++)
                {
                    a.NextUInt32();
                    b.NextUInt32();
                }
                var filled = new uint[n];
                a.Fill(filled);
                for (int i = 0; i < n; i++)
                {
                    Assert.Equal(b.NextUInt32(), filled[i]);
                }
                Assert.Equal(b.NextUInt32(), a.NextUInt32());
            }
        }
    }
}
