using System.Runtime.CompilerServices;
namespace Cohort.Tensors.Kernels;

/// <summary>
/// Moves a batch between [N, C, P] (tensor layout) and [C, N·P] (the layout of one batched
/// convolution GEMM), P being the pixels of one plane.
/// </summary>
internal static class ChannelLayout
{
    /// <summary>y[s, c, :] = src[c, s·P .. s·P+P] + bias[c] (bias may be empty: no bias).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToBatchAddBias(ReadOnlySpan<float> src, int batch, int channels, int plane, ReadOnlySpan<float> bias, Span<float> y)
    {
        Check(src.Length, y.Length, batch, channels, plane);
        if (!bias.IsEmpty && bias.Length != channels)
        {
            throw new ArgumentException($"ChannelLayout: bias of {bias.Length} values for {channels} channels.");
        }
        int row = batch * plane;
        for (int s = 0; s < batch; s++)
        {
            for (int c = 0; c < channels; c++)
            {
                var from = src.Slice(c * row + s * plane, plane);
                var to = y.Slice((s * channels + c) * plane, plane);
                if (bias.IsEmpty)
                {
                    from.CopyTo(to);
                }
                else
                {
                    Streams.AddScalar(from, bias[c], to);
                }
            }
        }
    }

    /// <summary>dst[c, s·P .. s·P+P] = x[s, c, :].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToChannels(ReadOnlySpan<float> x, int batch, int channels, int plane, Span<float> dst)
    {
        Check(dst.Length, x.Length, batch, channels, plane);
        int row = batch * plane;
        for (int s = 0; s < batch; s++)
        {
            for (int c = 0; c < channels; c++)
            {
                x.Slice((s * channels + c) * plane, plane).CopyTo(dst.Slice(c * row + s * plane, plane));
            }
        }
    }

    /// <summary>Scalar reference for <see cref="ToBatchAddBias"/>.</summary>
    public static void ToBatchAddBiasReference(ReadOnlySpan<float> src, int batch, int channels, int plane, ReadOnlySpan<float> bias, Span<float> y)
    {
        for (int s = 0; s < batch; s++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int p = 0; p < plane; p++)
                {
                    y[(s * channels + c) * plane + p] = src[(c * batch + s) * plane + p] + (bias.IsEmpty ? 0f : bias[c]);
                }
            }
        }
    }

    /// <summary>Scalar reference for <see cref="ToChannels"/>.</summary>
    public static void ToChannelsReference(ReadOnlySpan<float> x, int batch, int channels, int plane, Span<float> dst)
    {
        for (int s = 0; s < batch; s++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int p = 0; p < plane; p++)
                {
                    dst[(c * batch + s) * plane + p] = x[(s * channels + c) * plane + p];
                }
            }
        }
    }

    private static void Check(int channelsLength, int batchLength, int batch, int channels, int plane)
    {
        long size = (long)batch * channels * plane;
        if (batch < 0 || channels < 0 || plane < 0 || channelsLength < size || batchLength < size)
        {
            throw new ArgumentException($"ChannelLayout: {batch}x{channels}x{plane} elements do not fit buffers of {channelsLength} and {batchLength} floats.");
        }
    }
}
