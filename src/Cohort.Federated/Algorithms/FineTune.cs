using Cohort.Federated.Config;
using Cohort.Federated.Personal;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedAvg + fine-tuning, the personalization baseline: the global model is trained with FedAvg, and before
/// each evaluation every client fine-tunes it for <c>algorithm.steps</c> steps or <c>algorithm.epochs</c>
/// epochs on its own training data (all parameters, or those <c>algorithm.personal</c> names) and scores
/// the result on its own test split; the fine-tuned model is neither kept nor sent. Zero steps (or epochs)
/// fine-tune nothing: each client's personal score is the global model's on its own split, the start of a sweep over k.
/// </summary>
internal sealed class FineTune(FineTuning tuning) : IFederatedAlgorithm
{
    public static AlgorithmDeclaration Declaration { get; } = new("finetune", "FedAvg, then k local steps or epochs per client on its own data before its evaluation",
        config => new FineTune(FineTuning.From(config, "algorithm.", defaultEpochs: 1, keepNone: true)!))
    {
        Keys =
        [
            Key.Integer("steps", null, "fine-tuning steps per client before evaluation (instead of algorithm.epochs; 0: none, the global model scored on each client's split)", 0) with { Optional = true },
            Key.Integer("epochs", null, "fine-tuning epochs per client before evaluation (default 1 when algorithm.steps is unset)", 0) with { Optional = true },
            Key.Number("lr", null, "fine-tuning learning rate (default client.lr)", 0) with { Optional = true },
            Key.Text("personal", null, "the parameters fine-tuned, as parameter-name patterns (comma-separated, * any characters; @head: the last layer; default all)") with { Optional = true },
        ],
    };

    public string Name => "finetune";

    public FineTuning FineTuning { get; } = tuning;

    public void InitializeServer(ServerState server)
    {
    }

    public ClientResult RunClient(ClientContext context) => LocalTraining.RunToDelta(context);

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => ServerStep.Apply(server, aggregate.Update);
}
