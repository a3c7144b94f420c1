using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class Im2ColTests
{
    [Theory]
    [InlineData(1, 5, 5, 3, 1, 0)]
    [InlineData(2, 7, 6, 3, 1, 1)]
    [InlineData(3, 8, 9, 5, 2, 2)]
    [InlineData(1, 28, 28, 5, 1, 2)]
    [InlineData(4, 4, 4, 1, 1, 0)]
    [InlineData(2, 9, 9, 3, 3, 1)]
    [InlineData(32, 14, 14, 5, 1, 2)]
    [InlineData(2, 11, 13, 3, 1, 1)]
    [InlineData(1, 9, 8, 1, 1, 0)]
    [InlineData(3, 20, 17, 3, 1, 0)]
    [InlineData(1, 100, 90, 7, 1, 3)]
    public void UnfoldMatchesReferenceAndFoldIsItsAdjoint(int c, int h, int w, int k, int s, int p)
    {
        var g = new ConvGeometry(c, h, w, k, k, s, s, p, p);
        var random = RandomStream.Create(4, c, h, k);
        var image = new float[c * h * w];
        random.FillUniform(image, -1, 1);
        var col = new float[g.ColumnRows * g.ColumnCols];
        var reference = new float[col.Length];
        Im2Col.Unfold(g, image, col);
        Im2Col.UnfoldReference(g, image, reference);
        Assert.Equal(reference, col);

        // <Unfold(x), y> == <x, Fold(y)> for random y.
        var y = new float[col.Length];
        random.FillUniform(y, -1, 1);
        var folded = new float[image.Length];
        Im2Col.FoldAdd(g, y, folded);
        var foldedReference = new float[image.Length];
        Im2Col.FoldAddReference(g, y, foldedReference);
        for (int i = 0; i < folded.Length; i++)
        {
            // The padded path sums a pixel's contributions before adding them: same terms, other rounding.
            Assert.True(Math.Abs(folded[i] - foldedReference[i]) <= 1e-5f * (1 + Math.Abs(foldedReference[i])), $"pixel {i}");
        }
        double left = 0, right = 0;
        for (int i = 0; i < col.Length; i++)
        {
            left += (double)col[i] * y[i];
        }
        for (int i = 0; i < image.Length; i++)
        {
            right += (double)image[i] * folded[i];
        }
        Assert.Equal(left, right, 1e-4);
    }

    [Theory]
    [InlineData(2, 7, 6, 3, 1, 1, 3)]
    [InlineData(1, 28, 28, 5, 1, 2, 4)]
    [InlineData(3, 8, 9, 5, 2, 2, 2)]
    [InlineData(32, 14, 14, 5, 1, 2, 3)]
    public void StridedUnfoldPlacesSamplesSideBySide(int c, int h, int w, int k, int s, int p, int batch)
    {
        var g = new ConvGeometry(c, h, w, k, k, s, s, p, p);
        int rows = g.ColumnRows, cols = g.ColumnCols, total = batch * cols, plane = c * h * w;
        var random = RandomStream.Create(6, c, h, batch);
        var images = new float[batch * plane];
        random.FillUniform(images, -1, 1);
        var wide = new float[rows * total];
        var single = new float[rows * cols];
        for (int i = 0; i < batch; i++)
        {
            Im2Col.Unfold(g, images.AsSpan(i * plane, plane), wide.AsSpan(i * cols), total);
        }
        var foldedWide = new float[images.Length];
        var foldedSingle = new float[images.Length];
        for (int i = 0; i < batch; i++)
        {
            Im2Col.UnfoldReference(g, images.AsSpan(i * plane, plane), single);
            for (int r = 0; r < rows; r++)
            {
                Assert.Equal(single.AsSpan(r * cols, cols).ToArray(), wide.AsSpan(r * total + i * cols, cols).ToArray());
            }
            Im2Col.FoldAdd(g, wide.AsSpan(i * cols), foldedWide.AsSpan(i * plane, plane), total);
            Im2Col.FoldAdd(g, single, foldedSingle.AsSpan(i * plane, plane));
        }
        Assert.Equal(foldedSingle, foldedWide);
        var image = new float[plane];
        var e = Assert.Throws<ArgumentException>(() => Im2Col.Unfold(g, image.AsSpan(0, plane - 1), single));
        Assert.Contains("does not fit", e.Message);
    }

    [Fact]
    public void StridedUnfoldRejectsAShortBuffer()
    {
        var g = new ConvGeometry(1, 5, 5, 3, 3, 1, 1, 0, 0);
        var e = Assert.Throws<ArgumentException>(() => Im2Col.Unfold(g, new float[25], new float[9 * 18], 20));
        Assert.Contains("row stride 20", e.Message);
    }
}
