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
}
