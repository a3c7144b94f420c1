namespace Cohort.Federated.Outputs;

/// <summary>A run folder's file is missing or malformed; the message names the file (and the line, for metrics.jsonl).</summary>
internal sealed class RunFileException(string message, Exception? inner = null) : IOException(message, inner);
