namespace Cohort.Data;

/// <summary>A data file is malformed; the message names the file and what is wrong where.</summary>
public sealed class DataFormatException(string message) : IOException(message);
