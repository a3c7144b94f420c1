using System.Globalization;
using System.Text;
using Cohort.Federated.Leakage;
using Cohort.Tensors;

namespace Cohort.Reporting;

/// <summary>
/// A gradient-leakage attack's pictures: each original and its reconstruction as PNG (original-N.png,
/// reconstructed-N.png) and an index.html showing them side by side with PSNR, SSIM and the labels.
/// </summary>
internal static class LeakagePage
{
    public static void Write(string folder, string title, LeakageOutcome outcome, Shape sampleShape)
    {
        Directory.CreateDirectory(folder);
        int channels = sampleShape[0], height = sampleShape[1], width = sampleShape[2];
        var rows = new StringBuilder();
        for (int i = 0; i < outcome.Images.Count; i++)
        {
            var image = outcome.Images[i];
            PngImage.Write(Path.Combine(folder, $"original-{i}.png"), image.Original, channels, height, width);
            PngImage.Write(Path.Combine(folder, $"reconstructed-{i}.png"), image.Reconstructed, channels, height, width);
            rows.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{i}</td><td><img src=\"original-{i}.png\" alt=\"original {i}\"></td><td><img src=\"reconstructed-{i}.png\" alt=\"reconstruction {i}\"></td>" +
                $"<td>{Decibels(image.Psnr)}</td><td>{Html.Number(image.Ssim)}</td><td>{image.TrueLabel}</td><td>{image.Label}</td></tr>\n");
        }
        string page = $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{Html.Escape(title)}}</title>
            <style>{{ReportStyle.Css}} img { width: 112px; image-rendering: pixelated; }</style></head>
            <body><h1>{{Html.Escape(title)}}</h1>
            <p>PSNR {{Decibels(outcome.Psnr)}}, SSIM {{Html.Number(outcome.Ssim)}}, label accuracy {{Html.Number(outcome.LabelAccuracy)}} (means over {{outcome.Images.Count}} images)</p>
            <table><tr><th>#</th><th>original</th><th>reconstruction</th><th>PSNR</th><th>SSIM</th><th>true label</th><th>label</th></tr>
            {{rows}}</table></body></html>
            """;
        File.WriteAllText(Path.Combine(folder, "index.html"), page);
    }

    private static string Decibels(double psnr) => double.IsPositiveInfinity(psnr) ? "∞ dB" : Html.Number(psnr) + " dB";
}
