namespace Cohort.Privacy.Tests;

/// <summary>Calibrated noise meets its target and is the smallest that does; the dual gives the most steps within a budget.</summary>
public class CalibrationTests
{
    /// <summary>
    /// tensorflow/privacy compute_noise_from_budget_test.py: the noise that reaches ε = 0.941870567 (60000 examples,
    /// batch 150, 15 epochs, δ = 1e-5) is 1.3, and ε = 1.70928734 (100000, batch 100, 30 epochs, δ = 1e-7) takes 1.0;
    /// those budgets were recorded with the classic conversion (ClassicConversionMatchesComputeNoiseFromBudget).
    /// </summary>
    [Theory]
    [InlineData(60000, 150, 0.941870567, 15, 1e-5, 1.3)]
    [InlineData(100000, 100, 1.70928734, 30, 1e-7, 1.0)]
    public void NoiseMatchesComputeNoiseFromBudget(double n, double batch, double epsilon, double epochs, double delta, double expected)
    {
        var accountant = new Accountant(AccountantKind.Rdp, RdpConversion.Classic) { Orders = Vectors.OpacusOrders };
        double sigma = Calibration.Noise(accountant, batch / n, Vectors.Steps(epochs, n, batch), epsilon, delta);
        Vectors.Close(expected, sigma, 2 * Calibration.RelativeTolerance);
    }

    /// <summary>The calibrated σ meets its target and σ a tolerance below it does not, for each accountant.</summary>
    [Theory]
    [InlineData(AccountantKind.Rdp, RdpConversion.Improved, 0.01, 1000, 2.0)]
    [InlineData(AccountantKind.Rdp, RdpConversion.Classic, 0.01, 1000, 2.0)]
    [InlineData(AccountantKind.Pld, RdpConversion.Improved, 0.01, 1000, 2.0)]
    [InlineData(AccountantKind.Rdp, RdpConversion.Improved, 1, 10, 8.0)]
    public void CalibratedNoiseMeetsItsTarget(AccountantKind kind, RdpConversion conversion, double q, long steps, double target)
    {
        var accountant = new Accountant(kind, conversion);
        double sigma = Calibration.Noise(accountant, q, steps, target, 1e-5);
        Assert.True(accountant.Epsilon(new SampledGaussian(q, sigma, steps), 1e-5).Epsilon <= target);
        double below = sigma * (1 - 2 * Calibration.RelativeTolerance);
        Assert.True(accountant.Epsilon(new SampledGaussian(q, below, steps), 1e-5).Epsilon > target);
    }

    /// <summary>The dual: the returned step count stays within the budget and one more step does not.</summary>
    [Theory]
    [InlineData(AccountantKind.Rdp, 0.004, 1.1, 3.0)]
    [InlineData(AccountantKind.Pld, 0.05, 1.0, 2.0)]
    public void MostStepsWithinTheBudget(AccountantKind kind, double q, double sigma, double target)
    {
        var accountant = new Accountant(kind);
        long steps = Calibration.Steps(accountant, q, sigma, target, 1e-5);
        Assert.True(steps > 1);
        Assert.True(accountant.Epsilon(new SampledGaussian(q, sigma, steps), 1e-5).Epsilon <= target);
        Assert.True(accountant.Epsilon(new SampledGaussian(q, sigma, steps + 1), 1e-5).Epsilon > target);
    }

    /// <summary>No sampling needs no noise; a single step beyond the budget allows no steps.</summary>
    [Fact]
    public void DegenerateTargets()
    {
        Assert.Equal(0, Calibration.Noise(new Accountant(), 0, 1000, 1, 1e-5));
        Assert.Equal(0, Calibration.Steps(new Accountant(), 1, 0.1, 1, 1e-5));
    }
}
