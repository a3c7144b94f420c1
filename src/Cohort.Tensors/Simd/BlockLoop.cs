using System.Runtime.Intrinsics;

namespace Cohort.Tensors.Simd;

/// <summary>
/// The one loop behind the element-wise SIMD code outside the kernels: whole blocks by the operator's
/// vector path from the start, then the rest one element at a time by its scalar path. The split
/// depends only on the length and the block width (never on a wider vector the processor may have),
/// so a result is the same on every machine with Vector256.
/// </summary>
internal static class BlockLoop
{
    public static void Run<TOp>(TOp op, int length)
        where TOp : struct, IBlockOperator, allows ref struct
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - TOp.Width; i += TOp.Width)
            {
                op.Vector(i);
            }
        }
        for (; i < length; i++)
        {
            op.Scalar(i);
        }
    }

    /// <summary>
    /// As <see cref="Run"/>, for an operator that may stop: whole blocks while the vector path takes them,
    /// then single elements while the scalar path does. Returns the index of the element the scalar path
    /// refused, or the length when none was.
    /// </summary>
    public static int RunWhile<TOp>(ref TOp op, int length)
        where TOp : struct, IBlockScan, allows ref struct
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            while (i <= length - TOp.Width && op.Vector(i))
            {
                i += TOp.Width;
            }
        }
        while (i < length && op.Scalar(i))
        {
            i++;
        }
        return i;
    }
}
