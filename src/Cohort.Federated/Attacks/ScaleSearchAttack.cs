using Cohort.Federated.Aggregation;
using Cohort.Federated.Config;

namespace Cohort.Federated.Attacks;

/// <summary>
/// ALIE or IPM with the scale chosen by a line search each round (as in Shejwalkar and Houmansadr
/// 2021 and Allouah et al. 2023): every Byzantine client sends the same vector, and the scale (z for
/// ALIE, ε for IPM) is the one on a geometric grid that moves the defence's aggregate furthest from
/// the honest mean. The attacker rehearses the server's own aggregator on the round's updates, so the
/// search sees the defence's real state: centered clipping's previous aggregate, bucketing's round
/// seed, Zeno's scoring batch.
/// </summary>
internal sealed class ScaleSearchAttack(bool alie, IRehearsable defence) : IAttack
{
    public static AttackDeclaration AlieDeclaration { get; } = new("alie-opt", "ALIE with its scale searched against the server's own aggregator (Shejwalkar and Houmansadr 2021)", a => new ScaleSearchAttack(alie: true, Defence(a.Aggregator)));

    public static AttackDeclaration IpmDeclaration { get; } = new("ipm-opt", "IPM with its scale searched against the server's own aggregator (Shejwalkar and Houmansadr 2021)", a => new ScaleSearchAttack(alie: false, Defence(a.Aggregator)));

    private static IRehearsable Defence(IAggregator aggregator) => aggregator as IRehearsable
        ?? throw new ConfigException($"attack.name: {aggregator.Name} cannot be rehearsed, so a search against it is not available; choose alie or ipm.");

    /// <summary>The scales tried, in order; on a tie the first wins.</summary>
    public static IReadOnlyList<double> Scales { get; } = [0.05, 0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 20, 50, 100];
    private int _round = -1;
    private float[] _chosen = [];

    public string Name => alie ? "alie-opt" : "ipm-opt";

    /// <summary>The scale the last search chose.</summary>
    public double ChosenScale { get; private set; }

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own)
    {
        if (context.Round != _round || _chosen.Length != own.Length)
        {
            _round = context.Round;
            _chosen = Search(context, honest, own.Length);
        }
        _chosen.CopyTo(own);
    }

    private float[] Search(AttackContext context, IReadOnlyList<float[]> honest, int length)
    {
        var mean = new float[length];
        HonestStatistics.ScaledMean(honest, 1, mean);
        var best = new float[length];
        double bestDistance = double.NegativeInfinity;
        var candidate = new float[length];
        var result = new float[length];
        foreach (double scale in Scales)
        {
            if (alie)
            {
                HonestStatistics.MeanMinusStd(honest, scale, candidate);
            }
            else
            {
                HonestStatistics.ScaledMean(honest, -scale, candidate);
            }
            var round = new List<float[]>(honest);
            for (int b = 0; b < context.Byzantine; b++)
            {
                round.Add(candidate);
            }
            double distance;
            try
            {
                defence.Rehearse(round, result);
                distance = Aggregation.Robust.VectorDistance.Squared(result, mean);
            }
            catch (Exception e) when (e is InvalidOperationException or Aggregation.Robust.RobustAggregationException)
            {
                distance = 0;
            }
            if (distance > bestDistance)
            {
                bestDistance = distance;
                ChosenScale = scale;
                candidate.CopyTo(best, 0);
            }
        }
        return best;
    }
}
