namespace Cohort.Federated.Leakage;

/// <summary>
/// iDLG's label rule (Zhao et al. 2020): under softmax cross-entropy the output layer's weight gradient
/// row c is (p_c − y_c)·h with h ≥ 0 after ReLU, so only the true label's row sums below zero; the label
/// is the row with the smallest sum (as the paper's code: argmin of the row sums). For a batch of B the rule
/// gives the B smallest rows, each label once (a batch that repeats a label loses the repeats).
/// </summary>
internal static class IdlgLabels
{
    public static int[] Infer(LeakageTarget target)
    {
        var layer = LayerGradients.Last(target.Model);
        var sums = new double[layer.Outputs];
        for (int c = 0; c < sums.Length; c++)
        {
            foreach (float g in layer.WeightRow(target.Gradient, c))
            {
                sums[c] += g;
            }
        }
        var order = Enumerable.Range(0, sums.Length).OrderBy(c => sums[c]).ThenBy(c => c).ToArray();
        return Enumerable.Range(0, target.Batch).Select(b => order[b % order.Length]).ToArray();
    }
}
