namespace Cohort.Data.Fetch;

/// <summary>Fetching a data set failed; the message names the file or source and what is wrong.</summary>
internal sealed class FetchException(string message) : IOException(message);
