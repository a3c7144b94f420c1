using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// Sizes of a 5x5, stride-1 convolution computed by Winograd F(4x4, 5x5): the output is cut into
/// 4x4 tiles, each read from an 8x8 window of the zero-padded input; the 64 transformed planes are
/// 64 independent products over the channels, 6.25 times fewer multiplications than im2col.
/// </summary>
internal readonly struct WinogradPlan
{
    /// <summary>
    /// At most this many samples go through the transforms and products at once, so that a chunk's
    /// transformed data (64 planes, 4 times the output's size) stays in cache between the steps.
    /// </summary>
    public const int MaxChunkSamples = 5;

    private const int Edge = WinogradTransforms.TileSize;

    private const int Planes = WinogradTransforms.Planes;

    public WinogradPlan(in ConvGeometry conv, int batch, int outChannels)
    {
        Conv = conv;
        Batch = batch;
        ChunkSamples = Math.Max(1, Math.Min(batch, MaxChunkSamples));
        OutChannels = outChannels;
        TilesH = (conv.OutHeight + Edge - 1) / Edge;
        TilesW = (conv.OutWidth + Edge - 1) / Edge;
        PaddedH = Edge * TilesH + 4;
        PaddedW = Edge * TilesW + 4;
    }

    public ConvGeometry Conv { get; }

    public int Batch { get; }

    /// <summary>Samples per chunk (the last chunk may hold fewer).</summary>
    public int ChunkSamples { get; }

    /// <summary>Tiles per sample.</summary>
    public int SampleTiles => TilesH * TilesW;

    /// <summary>Tiles of a full chunk.</summary>
    public int ChunkTiles => ChunkSamples * SampleTiles;

    public int OutChannels { get; }

    public int TilesH { get; }

    public int TilesW { get; }

    /// <summary>Rows of the zero-padded input: the tiles' windows, at least the input plus its padding.</summary>
    public int PaddedH { get; }

    public int PaddedW { get; }

    public int Tiles => Batch * TilesH * TilesW;

    /// <summary>Transformed input, [64, tiles, C]; kept from the forward pass for the filter gradient.</summary>
    public int InputFloats => Planes * Tiles * Conv.Channels;

    /// <summary>Transformed products or their gradients for one chunk, [64, chunk tiles, O].</summary>
    public int ProductFloats => Planes * ChunkTiles * OutChannels;

    /// <summary>The transformed input's gradient for one chunk, [64, chunk tiles, C].</summary>
    public int InputGradFloats => Planes * ChunkTiles * Conv.Channels;

    /// <summary>Transformed filters, [64, O, C] (and the same transposed, [64, C, O]).</summary>
    public int FilterFloats => Planes * OutChannels * Conv.Channels;

    /// <summary>One chunk's input (or its gradient) zero-padded, channels last: [chunk, PaddedH, PaddedW, C].</summary>
    public int PaddedFloats => ChunkSamples * PaddedH * PaddedW * Conv.Channels;

    /// <summary>One chunk's output (or its gradient) rounded up to whole tiles, channels last: [chunk, 4·TilesH, 4·TilesW, O].</summary>
    public int OutputTileFloats => ChunkSamples * Edge * Edge * TilesH * TilesW * OutChannels;

    /// <summary>Tile t's 8x8 window in the padded input: the index of its top-left pixel (tiles run by sample, then row, then column; t counts from the chunk's first tile).</summary>
    public long WindowPixel(int t)
    {
        int perSample = TilesH * TilesW, within = t % perSample;
        return (long)((t / perSample) * PaddedH + Edge * (within / TilesW)) * PaddedW + Edge * (within % TilesW);
    }

    /// <summary>Tile t's 4x4 outputs in the tile-rounded output: the index of its top-left pixel.</summary>
    public long OutputTilePixel(int t)
    {
        int perSample = TilesH * TilesW, within = t % perSample;
        return (long)((t / perSample) * Edge * TilesH + Edge * (within / TilesW)) * Edge * TilesW + Edge * (within % TilesW);
    }

    /// <summary>Whether this kernel computes the convolution: 5x5, stride 1, channels in whole vectors.</summary>
    public static bool Supports(in ConvGeometry conv, int outChannels) =>
        conv.KernelH == 5 && conv.KernelW == 5 && conv.StrideH == 1 && conv.StrideW == 1
        && conv.PadH == conv.PadW && conv.Channels % 8 == 0 && outChannels % 8 == 0
        && Fma.IsSupported && Avx2.IsSupported;
}
