using System.Numerics.Tensors;
using Cohort.Federated.Config;
using Cohort.Federated.Personal;
using Cohort.Federated.State;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// IFCA (Ghosh, Chung, Yin, Ramchandran 2020, Algorithm 2 with model averaging): k cluster models; each
/// client scores every one on all its training data, trains the one of least loss with the local steps of
/// FedAvg, and sends that change; each cluster model moves by the weighted mean change of the clients that
/// chose it. Cluster 0 is the global model (what test_accuracy scores), clusters 1…k−1 are server state
/// broadcast with the model; a client sends its change in the update (cluster 0) or in the cluster's
/// uplink vector, and a 0/1 membership per cluster, whose weighted means give each cluster's share of the
/// cohort. With k = 1 this is FedAvg. The cluster models start from the initial model plus Gaussian noise
/// of algorithm.init_std (cluster 0 without), since identical models would never separate. A client's
/// personal model is the cluster model it chose, as received in its last round.
/// </summary>
internal sealed class Ifca(int clusters, float initStd, ulong seed) : IFederatedAlgorithm
{
    public const string PersonalVector = "ifca.model";

    /// <summary>What each client keeps: the cluster model it last chose.</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("ifca").Vector(PersonalVector);

    private static readonly ClientVector PersonalState = ClientState[PersonalVector];

    public static AlgorithmDeclaration Declaration { get; } = new("ifca", "IFCA (Ghosh et al. 2020): k cluster models, each client trains the one with the least loss on its data",
        config => new Ifca(config.GetInt("algorithm.clusters"), (float)config.GetDouble("algorithm.init_std"), (ulong)config.GetInt("seed")))
    {
        Keys =
        [
            Key.Integer("clusters", "2", "k: the number of cluster models", 1, 64),
            Key.Number("init_std", "0.01", "the standard deviation of the noise added to the initial model for clusters 1…k−1", 0),
        ],
    };

    public string Name => "ifca";

    public IPersonalModel PersonalModel { get; } = new StoredPersonalModel(PersonalState);

    public MessageLayout Uplink { get; } = new([.. Enumerable.Range(1, clusters - 1).Select(Change)], [.. Enumerable.Range(0, clusters).Select(Member)]);

    public IReadOnlyList<string> Downlink(int exchange) => [.. Enumerable.Range(1, clusters - 1).Select(Model)];

    /// <summary>Cluster j's model (j ≥ 1), a server vector.</summary>
    public static string Model(int cluster) => $"ifca.cluster_{cluster}";

    private static string Change(int cluster) => $"ifca.delta_{cluster}";

    private static string Member(int cluster) => $"ifca.member_{cluster}";

    public void InitializeServer(ServerState server)
    {
        if (clusters == 1)
        {
            return;
        }
        var declaration = Enumerable.Range(1, clusters - 1).Aggregate(new StateDeclaration(Name), (d, j) => d.Vector(Model(j)));
        server.Declare(declaration, record =>
        {
            for (int j = 1; j < clusters; j++)
            {
                var model = record.Vector(Model(j));
                var noise = RandomStream.Create(seed, RandomStream.Purpose("ifca.init"), j);
                noise.FillNormal(model, 0, initStd);
                TensorPrimitives.Add(model, server.Global, model);
            }
        });
    }

    public ClientResult RunClient(ClientContext context)
    {
        var objective = context.Objective;
        var buffers = context.Buffers;
        int chosen = 0;
        double least = double.PositiveInfinity;
        for (int j = 0; j < clusters; j++)
        {
            objective.Load(Cluster(context, j).Span);
            double loss = objective.FullLoss();
            if (loss < least)
            {
                (chosen, least) = (j, loss);
            }
        }
        var start = Cluster(context, chosen);
        context.States.Write(context.Client, PersonalState, start.Span);
        var result = LocalTraining.Run(context with { Global = start });
        var change = chosen == 0 ? buffers.Update : buffers.Vector(Change(chosen));
        LocalTraining.Delta(objective.Parameters, start.Span, change);
        if (chosen != 0)
        {
            buffers.Update.AsSpan().Clear();
        }
        for (int j = 1; j < clusters; j++)
        {
            if (j != chosen)
            {
                buffers.Vector(Change(j)).AsSpan().Clear();
            }
        }
        for (int j = 0; j < clusters; j++)
        {
            buffers.Scalars[Member(j)] = j == chosen ? 1 : 0;
        }
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate)
    {
        // A mean over the cohort, divided by the cluster's share of the cohort, is the mean over the cluster's members.
        double share = aggregate.Scalars[Member(0)];
        if (share > 0)
        {
            TensorPrimitives.Multiply(aggregate.Update, (float)(1 / share), server.Scratch);
            ServerStep.Apply(server, server.Scratch);
        }
        for (int j = 1; j < clusters; j++)
        {
            share = aggregate.Scalars[Member(j)];
            if (share > 0)
            {
                var model = server.Vector(Model(j));
                TensorPrimitives.MultiplyAdd(aggregate.Vectors[Change(j)], (float)(1 / share), model, model);
            }
        }
    }

    private static ReadOnlyMemory<float> Cluster(ClientContext context, int cluster) => cluster == 0 ? context.Global : context.Broadcast(Model(cluster));
}
