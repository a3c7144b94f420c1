namespace Cohort.Privacy;

/// <summary>In-place radix-2 complex FFT on separate real and imaginary arrays (length a power of two).</summary>
internal static class Fft
{
    /// <summary>Transforms (re, im) in place: forward uses e^{−2πik/N}, inverse e^{+2πik/N} and divides by N.</summary>
    public static void Transform(double[] re, double[] im, bool inverse)
    {
        int n = re.Length;
        if (n != im.Length || !int.IsPow2(n))
        {
            throw new ArgumentException($"FFT length {n} must be a power of two, the same for both parts.", nameof(re));
        }
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }
            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        // Twiddles computed directly, not by recurrence: no error builds up over long transforms.
        var cos = new double[n / 2];
        var sin = new double[n / 2];
        double sign = inverse ? 1 : -1;
        for (int k = 0; k < n / 2; k++)
        {
            (sin[k], cos[k]) = Math.SinCos(2 * Math.PI * k / n);
            sin[k] *= sign;
        }
        for (int size = 2; size <= n; size <<= 1)
        {
            int half = size >> 1, stride = n / size;
            for (int start = 0; start < n; start += size)
            {
                for (int k = 0; k < half; k++)
                {
                    double wr = cos[k * stride], wi = sin[k * stride];
                    int a = start + k, b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
        if (inverse)
        {
            for (int i = 0; i < n; i++)
            {
                re[i] /= n;
                im[i] /= n;
            }
        }
    }
}
