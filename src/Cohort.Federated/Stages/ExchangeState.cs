using Cohort.Tensors.Random;

namespace Cohort.Federated.Stages;

/// <summary>
/// Client-stage state is kept per client and per exchange: a method with several exchanges a round
/// (Mime: a full gradient, then a model delta) sends different vectors in each, so each exchange has its
/// own residual, estimate, momentum or last upload, and its own random stream. Exchange 0 keeps the bare
/// name and the (seed, purpose, round, client) stream, so one-exchange runs and their saved state read as before.
/// </summary>
internal static class ExchangeState
{
    /// <summary>The state-store name of <paramref name="name"/> in <paramref name="exchange"/>.</summary>
    public static string Name(string name, int exchange) => exchange == 0 ? name : $"{name}.e{exchange}";

    /// <summary>The random stream of a client's stage in the context's exchange.</summary>
    public static RandomStream Stream(StageContext context, long purpose) => context.Exchange == 0
        ? RandomStream.Create(context.Seed, purpose, context.Round, context.Client)
        : RandomStream.Create(context.Seed, purpose, context.Round, context.Client, context.Exchange);
}
