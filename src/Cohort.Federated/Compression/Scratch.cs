namespace Cohort.Federated.Compression;

/// <summary>Thread-local scratch arrays, grown on demand and reused (codes run on many workers at once).</summary>
internal static class Scratch
{
    public static Span<T> Of<T>(ref T[]? array, int length)
    {
        if (array is null || array.Length < length)
        {
            array = new T[length];
        }
        return array.AsSpan(0, length);
    }
}
