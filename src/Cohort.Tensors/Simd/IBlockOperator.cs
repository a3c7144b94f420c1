namespace Cohort.Tensors.Simd;

/// <summary>
/// One element-wise step over parallel spans the operator holds: a <see cref="System.Runtime.Intrinsics.Vector256"/>
/// path for a block of <see cref="Width"/> elements and a scalar path for one. <see cref="BlockLoop"/> drives it.
/// </summary>
internal interface IBlockOperator
{
    /// <summary>Elements one vector step covers, a multiple of 8 (the floats in a Vector256), the same on every processor.</summary>
    static abstract int Width { get; }

    /// <summary>Elements i to i + <see cref="Width"/> − 1, all within the spans.</summary>
    void Vector(int i);

    /// <summary>Element i.</summary>
    void Scalar(int i);
}
