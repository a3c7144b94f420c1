using Cohort.Federated.Config;
using Cohort.Federated.State;

namespace Cohort.Federated.Stages;

/// <summary>
/// Worker momentum, the history fix against Byzantine clients (Karimireddy, He and Jaggi 2021):
/// each client keeps mᵢ ← (1 − β)·gᵢ + β·mᵢ in the client-state store (one per exchange) and sends mᵢ instead of gᵢ.
/// </summary>
internal sealed class WorkerMomentum(double beta, IClientStateStore states) : IUpdateStage
{
    public static StageDeclaration Declaration { get; } = new("worker-momentum", "worker momentum against Byzantine clients (Karimireddy, He and Jaggi 2021): each client sends its momentum of updates",
        "robust.worker_momentum", a => a.Config.GetDouble("robust.worker_momentum") is > 0 and var beta ? [new WorkerMomentum(beta, a.States)] : [])
    {
        Order = 0,
        Keys = [Key.Number("robust.worker_momentum", "0", "worker momentum β against Byzantine clients (0: off)", 0, 0.999999)],
    };

    /// <summary>What each client keeps: its momentum mᵢ (one per exchange).</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("worker-momentum").Vector("worker-momentum");

    private static readonly ClientVector MomentumState = ClientState["worker-momentum"];
    private readonly ThreadLocal<float[]> _scratch = new(() => []);

    public string Name => "worker-momentum";

    public long OnClient(StageContext context, Span<float> update)
    {
        var momentum = _scratch.Value!;
        if (momentum.Length != update.Length)
        {
            momentum = _scratch.Value = new float[update.Length];
        }
        // A client's first momentum is its first update; each exchange has its own.
        var name = MomentumState.In(context.Exchange);
        if (!states.TryRead(context.Client, name, momentum))
        {
            update.CopyTo(momentum);
        }
        else
        {
            float a = (float)(1 - beta), b = (float)beta;
            for (int i = 0; i < update.Length; i++)
            {
                momentum[i] = a * update[i] + b * momentum[i];
            }
        }
        states.Write(context.Client, name, momentum);
        momentum.CopyTo(update);
        return IUpdateStage.KeepsEncoding;
    }
}
