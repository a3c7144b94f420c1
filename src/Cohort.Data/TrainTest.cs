namespace Cohort.Data;

/// <summary>A data set's training and test splits.</summary>
public sealed record TrainTest(Dataset Train, Dataset Test);
