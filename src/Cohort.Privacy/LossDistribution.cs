using System.Numerics;

namespace Cohort.Privacy;

/// <summary>
/// A discretised privacy loss distribution: probability <c>Probabilities[i]</c> that the loss is (Offset + i)·Interval,
/// and <see cref="InfinityMass"/> that it is +∞. Its hockey-stick divergence δ(ε) = m∞ + Σ_{l &gt; ε} p(l)(1 − e^{ε − l})
/// bounds the mechanism's δ from above when every step of its making was pessimistic.
/// </summary>
internal sealed class LossDistribution
{
    /// <summary>The largest FFT a composition may use (2²³ points, 128 MiB of complex numbers).</summary>
    internal const int MaxFftLength = 1 << 23;

    public LossDistribution(double interval, long offset, double[] probabilities, double infinityMass)
    {
        Interval = interval;
        Offset = offset;
        Probabilities = probabilities;
        InfinityMass = infinityMass;
    }

    public double Interval { get; }

    public long Offset { get; }

    public double[] Probabilities { get; }

    public double InfinityMass { get; }

    private double Loss(int i) => (Offset + i) * Interval;

    /// <summary>δ(ε) of this distribution.</summary>
    public double Delta(double epsilon)
    {
        double delta = InfinityMass;
        for (int i = Probabilities.Length - 1; i >= 0 && Loss(i) > epsilon; i--)
        {
            delta += Probabilities[i] * -LogSpace.Expm1(epsilon - Loss(i));
        }
        return Math.Clamp(delta, 0, 1);
    }

    /// <summary>The smallest ε with δ(ε) ≤ <paramref name="delta"/> (∞ when the mass at +∞ alone exceeds it), solved exactly between grid points.</summary>
    public double Epsilon(double delta)
    {
        if (InfinityMass > delta)
        {
            return double.PositiveInfinity;
        }
        // Over ε in [l(i−1), l(i)], δ(ε) = m∞ + A − e^ε·B with A = Σ_{j≥i} p_j and B = Σ_{j≥i} p_j e^{−l_j}.
        double mass = 0, logB = double.NegativeInfinity;
        for (int i = Probabilities.Length - 1; i >= 0; i--)
        {
            if (Probabilities[i] <= 0)
            {
                continue;
            }
            mass += Probabilities[i];
            logB = LogSpace.Add(logB, Math.Log(Probabilities[i]) - Loss(i));
            double room = InfinityMass + mass - delta;
            if (room <= 0)
            {
                continue;
            }
            double epsilon = Math.Log(room) - logB;
            if (i == 0 || epsilon >= Loss(i - 1))
            {
                return Math.Max(0, epsilon);
            }
        }
        return 0;
    }

    /// <summary>
    /// This distribution composed with itself <paramref name="times"/> times: the T-th power of its spectrum, on an FFT just
    /// long enough for the indices that Chernoff's bound leaves with more than <paramref name="tailMass"/> outside. That
    /// tail mass is added to the mass at +∞, so the truncation can only raise δ.
    /// </summary>
    public LossDistribution SelfCompose(long times, double tailMass)
    {
        if (times == 1)
        {
            return this;
        }
        int n = Probabilities.Length;
        var (lower, upper) = ChernoffRange(times, tailMass);
        long outputLength = upper - lower + 1;
        long fftLength = (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(outputLength, n));
        if (fftLength > MaxFftLength)
        {
            throw new ArgumentOutOfRangeException(nameof(times),
                $"the PLD accountant would need {fftLength} grid points for {times} steps at interval {Interval}; use the RDP accountant or a coarser interval.");
        }
        var re = new double[fftLength];
        var im = new double[fftLength];
        Array.Copy(Probabilities, re, n);
        Fft.Transform(re, im, inverse: false);
        for (int k = 0; k < fftLength; k++)
        {
            (re[k], im[k]) = Power(re[k], im[k], times);
        }
        Fft.Transform(re, im, inverse: true);
        var composed = new double[outputLength];
        for (long j = 0; j < outputLength; j++)
        {
            // Rounding leaves tiny negative values where the mass is zero.
            composed[j] = Math.Max(0, re[(lower + j) % fftLength]);
        }
        double finiteMass = Math.Exp(times * LogSpace.Log1p(-InfinityMass));
        double infinity = Math.Min(1, 1 - finiteMass + tailMass);
        return new LossDistribution(Interval, times * Offset + lower, composed, infinity);
    }

    /// <summary>(re + i·im)^k by repeated squaring.</summary>
    private static (double Re, double Im) Power(double re, double im, long k)
    {
        double rr = 1, ri = 0;
        while (k > 0)
        {
            if ((k & 1) != 0)
            {
                (rr, ri) = (rr * re - ri * im, rr * im + ri * re);
            }
            (re, im) = (re * re - im * im, 2 * re * im);
            k >>= 1;
        }
        return (rr, ri);
    }

    /// <summary>The index range [lower, upper] of a T-fold sum outside which at most <paramref name="tailMass"/> lies, by Chernoff's bound over a grid of exponents.</summary>
    private (long Lower, long Upper) ChernoffRange(long times, double tailMass)
    {
        int n = Probabilities.Length;
        double logTotal = Math.Log(Probabilities.Sum());
        var logP = new double[n];
        for (int i = 0; i < n; i++)
        {
            logP[i] = Probabilities[i] > 0 ? Math.Log(Probabilities[i]) - logTotal : double.NegativeInfinity;
        }
        double lower = 0, upper = (double)times * (n - 1);
        double logTail = Math.Log(2 / tailMass);
        // Exponents a quarter decade apart: the bound is flat near its best, so a coarse grid loses little.
        for (int k = -16; k <= 8; k++)
        {
            double t = Math.Pow(10, k / 4.0) / n;
            foreach (double s in (ReadOnlySpan<double>)[t, -t])
            {
                double max = double.NegativeInfinity;
                for (int i = 0; i < n; i++)
                {
                    max = Math.Max(max, logP[i] + s * i);
                }
                double sum = 0;
                for (int i = 0; i < n; i++)
                {
                    sum += Math.Exp(logP[i] + s * i - max);
                }
                double bound = (times * (max + Math.Log(sum)) + logTail) / s;
                if (s > 0)
                {
                    upper = Math.Min(upper, bound);
                }
                else
                {
                    lower = Math.Max(lower, bound);
                }
            }
        }
        return ((long)Math.Floor(lower), (long)Math.Ceiling(upper));
    }
}
