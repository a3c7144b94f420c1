using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// Whether the kernels use their wider register tiles: processors with AVX-512VL address 32 vector
/// registers (YMM16–31) instead of 16, room for about twice the accumulators. A wide tile sums each
/// element in exactly the order of the narrow one, so results do not depend on the processor.
/// </summary>
internal static class WideTiles
{
    /// <summary>On where the registers are there; tests turn it off to compare the two paths.</summary>
    internal static bool Enabled = Avx512F.VL.IsSupported;
}
