namespace Cohort.Tensors.Simd;

/// <summary>
/// An element-wise step that may stop the run: a scan, a count or a search whose state the operator
/// holds. Each path returns false to refuse its elements, untouched. <see cref="BlockLoop.RunWhile"/> drives it.
/// </summary>
internal interface IBlockScan
{
    /// <summary>Elements one vector step covers, a multiple of 8, the same on every processor.</summary>
    static abstract int Width { get; }

    /// <summary>Elements i to i + <see cref="Width"/> − 1, all within the spans; false hands them, and the rest, to the scalar path.</summary>
    bool Vector(int i);

    /// <summary>Element i; false ends the run there.</summary>
    bool Scalar(int i);
}
