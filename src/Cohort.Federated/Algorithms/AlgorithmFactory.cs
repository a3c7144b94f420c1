using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>Maps the experiment file's algorithm.name and algorithm.* parameters to a method.</summary>
public static class AlgorithmFactory
{
    public static IFederatedAlgorithm Create(ExperimentConfig config)
    {
        string name = config.Get("algorithm.name");
        MethodKeys.CheckApplicable(config);
        float P(string key) => (float)MethodKeys.GetDouble(config, key);
        switch (name)
        {
            case "mime" or "mimelite" when config.Get("client.optimizer") != "sgd" || config.GetDouble("client.momentum") != 0:
                throw new ConfigException($"algorithm.name {name} steps with the server's momentum (algorithm.beta); it needs client.optimizer sgd with client.momentum 0.");
            case "fednova" when config.Get("client.optimizer") != "sgd":
                throw new ConfigException("algorithm.name fednova normalises by the steps of SGD (with client.momentum); client.optimizer must be sgd.");
        }
        return name switch
        {
            "fedavg" => new FedAvg(),
            "fedsgd" => new FedSgd(),
            "fedprox" => new FedProx(P("algorithm.mu")),
            "scaffold" => Scaffold.Create(config),
            "fedavgm" => new FedAvgM(P("algorithm.server_lr"), P("algorithm.server_momentum")),
            "fedadagrad" => new FedOpt(FedOpt.Rule.Adagrad, P("algorithm.server_lr"), P("algorithm.beta1"), 0, P("algorithm.tau")),
            "fedadam" => new FedOpt(FedOpt.Rule.Adam, P("algorithm.server_lr"), P("algorithm.beta1"), P("algorithm.beta2"), P("algorithm.tau")),
            "fedyogi" => new FedOpt(FedOpt.Rule.Yogi, P("algorithm.server_lr"), P("algorithm.beta1"), P("algorithm.beta2"), P("algorithm.tau")),
            "mimelite" => new MimeLite(P("algorithm.beta")),
            "mime" => new Mime(P("algorithm.beta")),
            "fednova" => new FedNova(P("algorithm.server_lr")),
            "feddyn" => new FedDyn(P("algorithm.alpha")),
            "qffl" => new QFfl(P("algorithm.q")),
            "diana" => Diana.Create(config),
            "marina" => Marina.Create(config),
            _ => throw new ConfigException($"algorithm.name: '{name}' is not available."),
        };
    }
}
