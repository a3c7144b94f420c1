using Cohort.Federated.Config;

namespace Cohort.Federated.Privacy;

/// <summary>
/// Sample-level DP-SGD (Abadi et al. 2016), what <c>privacy.mechanism: dp-sgd</c> has clients (or, in
/// <c>mode: centralized</c>, the pooled data) train with: every step draws a Poisson batch (each of the
/// n examples with probability q = min(1, B/n), B = client.batch_size), clips each example's gradient to C,
/// adds N(0, (σC)²) to their sum and divides by the expected batch qn (<see cref="NN.Training.DpSgdStep"/>).
/// </summary>
internal sealed record DpSgdOptions(double Clip, double NoiseMultiplier)
{
    /// <summary>The rate at which a client of <paramref name="samples"/> examples samples each one into a step.</summary>
    public static double Rate(int batchSize, int samples) => samples <= batchSize ? 1 : (double)batchSize / samples;

    /// <summary>The options the keys select (null unless the mechanism is dp-sgd); what the accounting cannot follow is refused, naming the key.</summary>
    public static DpSgdOptions? From(ExperimentConfig config)
    {
        if (config.Get(PrivacyKeys.Mechanism) != "dp-sgd")
        {
            return null;
        }
        if (config.Get("mode") == "local")
        {
            throw new ConfigException("privacy.mechanism dp-sgd: accounted in federated runs (per client) and centralized ones (over the pooled data); mode local trains each client alone with no server to account.");
        }
        if (config.Get("client.tau.distribution") != "fixed")
        {
            throw new ConfigException("privacy.mechanism dp-sgd: each client's steps are accounted from client.steps or client.epochs; set client.tau.distribution fixed.");
        }
        if (config.Get("client.adversarial") != "none")
        {
            throw new ConfigException("privacy.mechanism dp-sgd: client.adversarial replaces each batch, which the per-example clipping does not cover; set it none.");
        }
        return new DpSgdOptions(config.GetDouble("privacy.clip"), config.GetDouble("privacy.noise_multiplier"));
    }
}
