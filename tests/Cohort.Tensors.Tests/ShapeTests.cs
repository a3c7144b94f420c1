namespace Cohort.Tensors.Tests;

public class ShapeTests
{
    [Fact]
    public void SizesAndEquality()
    {
        var s = new Shape(2, 3, 4, 5, 6);
        Assert.Equal(5, s.Rank);
        Assert.Equal(720, s.Size);
        Assert.Equal(120, s.SizeFrom(2));
        Assert.Equal(new Shape(2, 3, 4, 5, 6), s);
        Assert.NotEqual(new Shape(2, 3, 4, 5), s.With(4, 1) == new Shape(2, 3, 4, 5, 1) ? new Shape(1) : s);
        Assert.Equal(1, Shape.Scalar.Size);
        Assert.Equal("[2, 3]", new Shape(2, 3).ToString());
    }

    [Fact]
    public void BadShapesAreReportedClearly()
    {
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => new Shape(2, -1)).Message);
        Assert.Contains("at most 5", Assert.Throws<ArgumentException>(() => Shape.Of([1, 2, 3, 4, 5, 6])).Message);
        var t = new Tensor(new Shape(2, 3), "w");
        Assert.Contains("w [2, 3]", Assert.Throws<ArgumentException>(() => t.Reshape(new Shape(7))).Message);
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => new Tensor(new float[5], 0, new Shape(2, 3), "x")).Message);
    }

    [Fact]
    public void ViewsShareTheirBuffer()
    {
        var flat = new float[10];
        var a = new Tensor(flat, 2, new Shape(2, 2), "a");
        a.Data.Fill(3f);
        Assert.Equal([0f, 0f, 3f, 3f, 3f, 3f, 0f, 0f, 0f, 0f], flat);
        var grads = new float[10];
        a.AttachGrad(grads, 6);
        a.Grad[0] = 1f;
        Assert.Equal(1f, grads[6]);
    }
}
