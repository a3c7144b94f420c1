namespace Cohort.NN.Optimizers;

/// <summary>
/// Creates an optimizer from its name and text parameters (the experiment file's
/// <c>client.optimizer</c> and its keys). Keys are torch's argument names: lr, momentum,
/// dampening, nesterov, weight_decay, beta1, beta2, eps, amsgrad, lr_decay,
/// initial_accumulator_value. Unknown names, unknown keys and bad values throw, naming them.
/// </summary>
public static class OptimizerFactory
{
    /// <summary>The names <see cref="Create(string, IReadOnlyDictionary{string, string}?)"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sgd", "adam", "adamw", "adagrad", "yogi"];

    /// <summary>An optimizer with the given learning rate and defaults for everything else.</summary>
    public static IOptimizer Create(string name, float learningRate) =>
        Create(name, new Dictionary<string, string> { ["lr"] = learningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture) });

    public static IOptimizer Create(string name, IReadOnlyDictionary<string, string>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var p = new ConfigParameters($"optimizer '{name}'", parameters);
        IOptimizer optimizer = name.ToLowerInvariant() switch
        {
            // torch.optim.SGD has no default learning rate.
            "sgd" => new Sgd(p.RequiredFloat("lr"), p.Double("momentum", 0), p.Double("dampening", 0), p.Bool("nesterov", false), p.Double("weight_decay", 0)),
            "adam" => new Adam(p.Float("lr", 1e-3f), p.Double("beta1", 0.9), p.Double("beta2", 0.999), p.Double("eps", 1e-8), p.Double("weight_decay", 0), p.Bool("amsgrad", false)),
            "adamw" => new AdamW(p.Float("lr", 1e-3f), p.Double("beta1", 0.9), p.Double("beta2", 0.999), p.Double("eps", 1e-8), p.Double("weight_decay", 1e-2), p.Bool("amsgrad", false)),
            "adagrad" => new Adagrad(p.Float("lr", 1e-2f), p.Double("lr_decay", 0), p.Double("weight_decay", 0), p.Double("initial_accumulator_value", 0), p.Double("eps", 1e-10)),
            "yogi" => new Yogi(p.Float("lr", 1e-2f), p.Double("beta1", 0.9), p.Double("beta2", 0.99), p.Double("eps", 1e-3), p.Double("initial_accumulator_value", 1e-6)),
            _ => throw new ArgumentException($"Unknown optimizer '{name}'; known optimizers: {string.Join(", ", Names)}.", nameof(name)),
        };
        p.RejectUnknown();
        return optimizer;
    }
}
