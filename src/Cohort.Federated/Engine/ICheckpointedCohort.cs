namespace Cohort.Federated.Engine;

/// <summary>A cohort executor with state of its own between rounds (simulated clients still training), saved with a checkpoint.</summary>
internal interface ICheckpointedCohort
{
    /// <summary>Writes the state after a completed round.</summary>
    void Save(Stream destination);

    /// <summary>Replaces the state with a saved one; <paramref name="origin"/> names the source in errors.</summary>
    void Restore(Stream source, string origin);
}
