namespace Cohort.Federated.Config;

/// <summary>An experiment file or override is wrong; the message names the key and what is allowed.</summary>
public sealed class ConfigException(string message) : Exception(message);
