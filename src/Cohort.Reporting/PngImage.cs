using BigGustave;

namespace Cohort.Reporting;

/// <summary>A [channels, height, width] image of values in [0, 1] as an 8-bit PNG: grey for one channel, RGB for three.</summary>
internal static class PngImage
{
    public static void Write(string path, ReadOnlySpan<float> image, int channels, int height, int width)
    {
        if (channels is not (1 or 3) || image.Length != channels * height * width)
        {
            throw new ArgumentException($"A PNG is written from 1 or 3 channels of {height}×{width} values; {image.Length} values in {channels} channels are not that.");
        }
        var builder = PngBuilder.Create(width, height, hasAlphaChannel: false);
        int plane = height * width;
        for (int i = 0; i < height; i++)
        {
            for (int j = 0; j < width; j++)
            {
                int k = i * width + j;
                byte r = Byte(image[k]);
                byte g = channels == 3 ? Byte(image[plane + k]) : r;
                byte b = channels == 3 ? Byte(image[2 * plane + k]) : r;
                builder.SetPixel(r, g, b, j, i);
            }
        }
        using var file = File.Create(path);
        builder.Save(file);
    }

    private static byte Byte(float v) => (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255f);
}
