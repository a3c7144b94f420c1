using Cohort.Federated.Config;
using Cohort.Federated.Personal;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedRep (Collins et al. 2021, "Exploiting Shared Representations for Personalized Federated Learning"):
/// the body (representation) is federated, the head (the parameters <c>algorithm.personal</c> names, by
/// default the last layer) stays with each client. A client starts from the broadcast body and its own
/// head, first trains the head for <c>algorithm.head_epochs</c> epochs with the body frozen, then the body
/// for its local work (client.steps or client.epochs) with the head frozen, and sends the body's change.
/// The order and split follow the reference code (lgcollins/FedRep, models/Update.py, LocalUpdate.train:
/// head epochs = local_ep − local_rep_ep with the representation's requires_grad off, then the
/// representation's epochs with the head's off; 10 head epochs and 1 representation epoch by default).
/// </summary>
internal sealed class FedRep(IReadOnlyList<string> head, int headEpochs) : KeptPartMethod("fedrep", head, "head layers", "@head or fc3.*")
{
    public static AlgorithmDeclaration Declaration { get; } = new("fedrep", "FedRep (Collins et al. 2021): head trained with the body frozen, then the body with the head frozen; the body federated, the head kept by each client",
        config => new FedRep(PersonalParameters.Patterns(config.Get(PersonalParameters.Key)), config.GetInt("algorithm.head_epochs")))
    {
        Keys =
        [
            Key.Text("personal", PersonalParameters.Head, "the head kept by each client, as parameter-name patterns (comma-separated, * any characters; @head: the last layer)"),
            Key.Integer("head_epochs", "10", "epochs over the client's samples training the head, the body frozen, before the body's local work", 0),
        ],
    };

    public int HeadEpochs { get; } = headEpochs;

    public override ClientResult RunClient(ClientContext context)
    {
        var headPart = context.Personal ?? throw new InvalidOperationException("fedrep runs with the head the engine keeps per client.");
        var objective = context.Objective;
        objective.Load(context.Global.Span);
        var saved = context.Buffers.Vector("fedrep.start");
        long perEpoch = (objective.Samples + objective.BatchSize - 1) / objective.BatchSize;
        float lr = context.Work.LearningRate;
        var headPhase = PartialTraining.Run(objective, context.Optimizer, lr, HeadEpochs * perEpoch, headPart.Complement(objective.Parameters.Length), saved);
        var bodyPhase = PartialTraining.Run(objective, context.Optimizer, lr, context.Steps, headPart.Ranges, saved);
        LocalTraining.Delta(objective.Parameters, context.Global.Span, context.Buffers.Update);
        return new ClientResult(objective.Samples, headPhase.LossSum + bodyPhase.LossSum, headPhase.Batches + bodyPhase.Batches);
    }
}
