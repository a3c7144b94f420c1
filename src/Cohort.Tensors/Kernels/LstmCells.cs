using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// The point-wise part of one LSTM cell for one sample, gates in PyTorch's order (i, f, g, o), each
/// <c>H</c> wide in a row of 4H. Each kernel has a scalar reference beside it.
/// </summary>
internal static class LstmCells
{
    /// <summary>
    /// Activates the gates in place (σ, σ, tanh, σ), then c = f⊙cPrev + i⊙g, tanhC = tanh(c), h = o⊙tanhC.
    /// </summary>
    public static void Forward(Span<float> gates, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        int n = Check(gates.Length, cPrev.Length, c.Length, tanhC.Length, h.Length);
        if (n == 0)
        {
            return;
        }
        var ifg = gates[..(2 * n)];
        var g = gates.Slice(2 * n, n);
        var o = gates.Slice(3 * n, n);
        TensorPrimitives.Sigmoid(ifg, ifg);
        TensorPrimitives.Tanh(g, g);
        TensorPrimitives.Sigmoid(o, o);
        TensorPrimitives.Multiply(gates.Slice(n, n), cPrev, c);
        TensorPrimitives.FusedMultiplyAdd(gates[..n], g, c, c);
        TensorPrimitives.Tanh(c, tanhC);
        TensorPrimitives.Multiply(o, tanhC, h);
    }

    public static void ForwardReference(Span<float> gates, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        int n = Check(gates.Length, cPrev.Length, c.Length, tanhC.Length, h.Length);
        for (int j = 0; j < n; j++)
        {
            float i = Sigmoid(gates[j]);
            float f = Sigmoid(gates[n + j]);
            float g = MathF.Tanh(gates[2 * n + j]);
            float o = Sigmoid(gates[3 * n + j]);
            gates[j] = i;
            gates[n + j] = f;
            gates[2 * n + j] = g;
            gates[3 * n + j] = o;
            c[j] = f * cPrev[j] + i * g;
            tanhC[j] = MathF.Tanh(c[j]);
            h[j] = o * tanhC[j];
        }
    }

    /// <summary>
    /// From activated gates, cPrev, tanh(c) and the gradient dh reaching h, writes the gradient of
    /// the gate pre-activations. <paramref name="dc"/> holds the gradient reaching c from later
    /// steps on entry and the gradient of cPrev on return.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC, ReadOnlySpan<float> dh, Span<float> dc, Span<float> dgates)
    {
        int n = Check(gates.Length, cPrev.Length, dc.Length, tanhC.Length, dh.Length);
        if (dgates.Length != 4 * n)
        {
            throw new ArgumentException($"LSTM cell: gate gradient has {dgates.Length} floats, expected {4 * n}.");
        }
        ref float gr = ref MemoryMarshal.GetReference(gates);
        ref float cp = ref MemoryMarshal.GetReference(cPrev);
        ref float tc = ref MemoryMarshal.GetReference(tanhC);
        ref float dhr = ref MemoryMarshal.GetReference(dh);
        ref float dcr = ref MemoryMarshal.GetReference(dc);
        ref float dg = ref MemoryMarshal.GetReference(dgates);
        nuint h = (nuint)n;
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256.Create(1f);
            for (; j + 8 <= n; j += 8)
            {
                nuint u = (nuint)j;
                var i = Vector256.LoadUnsafe(ref gr, u);
                var f = Vector256.LoadUnsafe(ref gr, h + u);
                var g = Vector256.LoadUnsafe(ref gr, 2 * h + u);
                var o = Vector256.LoadUnsafe(ref gr, 3 * h + u);
                var t = Vector256.LoadUnsafe(ref tc, u);
                var dhv = Vector256.LoadUnsafe(ref dhr, u);
                var dcv = Vector256.LoadUnsafe(ref dcr, u) + dhv * o * (one - t * t);
                (dcv * g * i * (one - i)).StoreUnsafe(ref dg, u);
                (dcv * Vector256.LoadUnsafe(ref cp, u) * f * (one - f)).StoreUnsafe(ref dg, h + u);
                (dcv * i * (one - g * g)).StoreUnsafe(ref dg, 2 * h + u);
                (dhv * t * o * (one - o)).StoreUnsafe(ref dg, 3 * h + u);
                (dcv * f).StoreUnsafe(ref dcr, u);
            }
        }
        for (; j < n; j++)
        {
            Cell(ref gr, ref cp, ref tc, ref dhr, ref dcr, ref dg, n, j);
        }
    }

    public static void BackwardReference(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC, ReadOnlySpan<float> dh, Span<float> dc, Span<float> dgates)
    {
        int n = Check(gates.Length, cPrev.Length, dc.Length, tanhC.Length, dh.Length);
        for (int j = 0; j < n; j++)
        {
            float i = gates[j], f = gates[n + j], g = gates[2 * n + j], o = gates[3 * n + j], t = tanhC[j];
            float dcj = dc[j] + dh[j] * o * (1f - t * t);
            dgates[j] = dcj * g * i * (1f - i);
            dgates[n + j] = dcj * cPrev[j] * f * (1f - f);
            dgates[2 * n + j] = dcj * i * (1f - g * g);
            dgates[3 * n + j] = dh[j] * t * o * (1f - o);
            dc[j] = dcj * f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Cell(ref float gr, ref float cp, ref float tc, ref float dhr, ref float dcr, ref float dg, int n, int j)
    {
        float i = Unsafe.Add(ref gr, j), f = Unsafe.Add(ref gr, n + j), g = Unsafe.Add(ref gr, 2 * n + j), o = Unsafe.Add(ref gr, 3 * n + j);
        float t = Unsafe.Add(ref tc, j), dhj = Unsafe.Add(ref dhr, j);
        float dcj = Unsafe.Add(ref dcr, j) + dhj * o * (1f - t * t);
        Unsafe.Add(ref dg, j) = dcj * g * i * (1f - i);
        Unsafe.Add(ref dg, n + j) = dcj * Unsafe.Add(ref cp, j) * f * (1f - f);
        Unsafe.Add(ref dg, 2 * n + j) = dcj * i * (1f - g * g);
        Unsafe.Add(ref dg, 3 * n + j) = dhj * t * o * (1f - o);
        Unsafe.Add(ref dcr, j) = dcj * f;
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static int Check(int gates, int a, int b, int c, int d)
    {
        int n = a;
        if (gates != 4 * n || b != n || c != n || d != n)
        {
            throw new ArgumentException($"LSTM cell: gate row of {gates} floats needs state rows of {gates / 4}; got {a}, {b}, {c}, {d}.");
        }
        return n;
    }
}
