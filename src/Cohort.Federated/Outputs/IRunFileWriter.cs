using Cohort.Federated.Metrics;

namespace Cohort.Federated.Outputs;

/// <summary>A run callback that writes a file of the run folder and closes it on dispose.</summary>
internal interface IRunFileWriter : IRunCallback, IDisposable;
