using Cohort.Federated.Aggregation;
using Cohort.Federated.State;

namespace Cohort.Federated.Compression;

/// <summary>
/// Runs PowerSGD's two exchanges inside a federated round. During the round's client pass each client
/// sends its P message (and keeps its matrix update, plus its residual with error feedback, in the
/// state store until the second exchange); then the server broadcasts P̂ and a second pass over the
/// cohort sends the Q messages; the aggregate is P̂·Q̂ᵀ. Messages are framed dense float32.
/// </summary>
public sealed class PowerSgdRound(PowerSgd power, bool errorFeedback, IClientStateStore states)
{
    private const string Held = "powersgd.update";
    private const string Residual = "powersgd.residual";
    private static readonly ICompressor Dense = new DenseFloat32();
    private readonly WeightedMean _first = new();
    private readonly WeightedMean _second = new();
    private readonly float[] _meanFirst = new float[power.PLength + power.VectorLength];
    private readonly float[] _meanQ = new float[power.QLength];

    [ThreadStatic]
    private static float[]? t_message;

    [ThreadStatic]
    private static float[]? t_memory;

    public PowerSgd Power => power;

    public void Begin(double expectedWeight)
    {
        _first.ExpectedTotalWeight = expectedWeight;
        _second.ExpectedTotalWeight = expectedWeight;
        _first.Begin(_meanFirst.Length);
        _second.Begin(_meanQ.Length);
    }

    /// <summary>Exchange 1 for one client (thread-safe): adds its residual, keeps the update, sends P; returns the message's bytes.</summary>
    public long SendP(int client, Span<float> update, double weight)
    {
        if (errorFeedback)
        {
            var memory = Scratch.Of(ref t_memory, update.Length);
            if (states.TryRead(client, Residual, memory))
            {
                System.Numerics.Tensors.TensorPrimitives.Add(update, memory, update);
            }
        }
        states.Write(client, Held, update);
        var message = Scratch.Of(ref t_message, _meanFirst.Length);
        power.ClientP(update, message);
        int bytes = WireRoundTrip.Send(Dense, message, message, default);
        _first.Add(message, weight);
        return bytes;
    }

    /// <summary>The server's P̂, the second exchange over the clients whose P was taken (<paramref name="cohort"/>) and the aggregate; returns (bytes up, bytes down) of the second exchange for the whole cohort.</summary>
    public (long Up, long Down) Complete(int[] cohort, Func<int, double> weight, Span<float> aggregate)
    {
        _first.Complete(_meanFirst);
        power.Orthonormalize(_meanFirst.AsSpan(0, power.PLength));
        var up = new long[cohort.Length];
        Parallel.For(0, cohort.Length, i =>
        {
            var update = Scratch.Of(ref t_memory, power.Length);
            states.TryRead(cohort[i], Held, update);
            var message = Scratch.Of(ref t_message, power.QLength);
            power.ClientQ(update, _meanFirst, message);
            up[i] = WireRoundTrip.Send(Dense, message, message, default);
            _second.Add(message, weight(cohort[i]));
        });
        _second.Complete(_meanQ);
        power.Finish(_meanFirst, _meanQ, aggregate);
        if (errorFeedback)
        {
            // Only the matrices are compressed; the values sent dense leave no residual.
            var residual = new float[power.Length];
            var aggregateCopy = aggregate.ToArray();
            foreach (int client in cohort)
            {
                states.TryRead(client, Held, residual);
                System.Numerics.Tensors.TensorPrimitives.Subtract(residual, aggregateCopy, residual);
                power.ClearOutsideMatrices(residual);
                states.Write(client, Residual, residual);
            }
        }
        // P̂ goes to every client of the cohort as one dense frame.
        var pHat = _meanFirst.AsSpan(0, power.PLength);
        long broadcast = WireRoundTrip.Send(Dense, pHat, pHat, default);
        return (up.Sum(), broadcast * cohort.Length);
    }
}
