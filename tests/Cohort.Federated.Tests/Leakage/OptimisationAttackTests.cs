using Cohort.Federated.Leakage;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Leakage;

/// <summary>The optimisation attacks rebuild a small model's single image from its gradient in a bounded number of steps.</summary>
public sealed class OptimisationAttackTests
{
    private const int Side = 12;

    [Fact]
    public void DlgReachesThirtyDecibelsAndTheLabelOnATinySigmoidNet()
    {
        var (x, reconstruction) = Attack(new DlgAttack(iterations: 200), label: 2);
        Assert.True(ImageQuality.Psnr(x, reconstruction.Images) > 30, $"PSNR {ImageQuality.Psnr(x, reconstruction.Images):F1} dB");
        Assert.Equal([2], reconstruction.Labels);
    }

    [Fact]
    public void IdlgReachesThirtyDecibelsWithTheInferredLabel()
    {
        var (x, reconstruction) = Attack(new IdlgAttack(iterations: 200), label: 1);
        Assert.True(ImageQuality.Psnr(x, reconstruction.Images) > 30, $"PSNR {ImageQuality.Psnr(x, reconstruction.Images):F1} dB");
        Assert.Equal([1], reconstruction.Labels);
    }

    [Fact]
    public void InvertingGradientsRecoversTheImagesStructure()
    {
        var (x, reconstruction) = Attack(new InvertingAttack(iterations: 300, learningRate: 0.1, totalVariation: 1e-3), label: 0);
        double ssim = ImageQuality.Ssim(x, reconstruction.Images, 1, Side, Side);
        Assert.True(ssim > 0.5, $"SSIM {ssim:F3}");
    }

    private static (float[] Image, Reconstruction Reconstruction) Attack(IGradientAttack attack, int label)
    {
        var model = TinyNets.Mlp(1, Side, hidden: 32, classes: 3, seed: 4, sigmoid: true);
        var probe = new GradientProbe(model, 1);
        var x = TinyNets.Image(Side * Side, 8);
        var gradient = new float[model.ParameterCount];
        probe.Loss(x, probe.OneHot([label]), gradient, [], []);
        var random = RandomStream.Create(3);
        return (x, attack.Reconstruct(new LeakageTarget(model, gradient, 1), ref random));
    }
}
