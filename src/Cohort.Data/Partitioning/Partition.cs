namespace Cohort.Data.Partitioning;

/// <summary>Which training and test samples each client holds (indices into the two splits).</summary>
public sealed class Partition
{
    public Partition(int[][] train, int[][] test)
    {
        if (train.Length != test.Length)
        {
            throw new ArgumentException($"Partition: {train.Length} clients' training sets but {test.Length} test sets.");
        }
        Train = train;
        Test = test;
    }

    public int[][] Train { get; }

    public int[][] Test { get; }

    /// <summary>
    /// Per client, the indices into the training set held out for validation (never in <see cref="Train"/>):
    /// for choosing hyperparameters without the test split. Empty for every client unless <see cref="ValidationSplit"/> drew them.
    /// </summary>
    public int[][] Validation { get; init; } = [];

    public int Clients => Train.Length;

    /// <summary>Per client, per label counts of the training samples.</summary>
    public int[][] LabelHistograms(Dataset train)
    {
        var result = new int[Clients][];
        for (int k = 0; k < Clients; k++)
        {
            result[k] = new int[train.Classes];
            foreach (int i in Train[k])
            {
                result[k][train.Labels[i]]++;
            }
        }
        return result;
    }
}
