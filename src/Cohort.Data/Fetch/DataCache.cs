namespace Cohort.Data.Fetch;

/// <summary>Where fetched data sets live: $COHORT_DATA, else ~/.cache/cohort/data.</summary>
internal static class DataCache
{
    public static string Root
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable("COHORT_DATA");
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return configured;
            }
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, ".cache", "cohort", "data");
        }
    }

    public static string Folder(string dataset) => Path.Combine(Root, dataset);
}
