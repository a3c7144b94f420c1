using Cohort.Federated.State;
using Cohort.NN.Optimizers;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// Everything the server keeps between rounds, explicitly: the global model, the server optimizer
/// (plain SGD with rate 1 applies the aggregate as it is, which is FedAvg), and the declared state of
/// each component that keeps some (a method's control variates or momenta, a stage's estimate, an
/// aggregator's centre, the clients' view of the model): one <see cref="StateRecord"/> per owner.
/// </summary>
public sealed class ServerState
{
    private readonly List<StateRecord> _records = [];
    private readonly Dictionary<string, StateRecord> _restored = new(StringComparer.Ordinal);

    public ServerState(float[] global, float[] buffers, IOptimizer optimizer)
    {
        Global = global;
        Buffers = buffers;
        Optimizer = optimizer;
        Scratch = new float[global.Length];
    }

    public float[] Global { get; }

    /// <summary>Non-trainable model state (batch-norm statistics), broadcast with the model.</summary>
    public float[] Buffers { get; }

    public IOptimizer Optimizer { get; }

    /// <summary>Rounds completed.</summary>
    public int Round { get; set; }

    /// <summary>A model-sized buffer for the server step.</summary>
    public float[] Scratch { get; }

    /// <summary>Every record to save: those declared, in declaration order, then those restored that no component has declared yet.</summary>
    public IEnumerable<StateRecord> Records => _records.Concat(_restored.Values.OrderBy(r => r.Declaration.Owner, StringComparer.Ordinal));

    /// <summary>
    /// The record of <paramref name="declaration"/>: the one already declared by its owner (the same
    /// fields), else the one a checkpoint restored for it, else a new one that <paramref name="initialize"/>
    /// fills (zeros without it). A component may declare when it first needs its state.
    /// </summary>
    public StateRecord Declare(StateDeclaration declaration, Action<StateRecord>? initialize = null)
    {
        if (_records.Find(r => r.Declaration.Owner == declaration.Owner) is { } declared)
        {
            return declared.Fits(declaration, Global.Length) ? declared
                : throw new InvalidOperationException($"The server state of {declaration.Owner} is declared twice, differently ({declared.Describe()}; then {new StateRecord(declaration, Global.Length).Describe()}).");
        }
        string? taken = declaration.Vectors.Select(v => v.Name).FirstOrDefault(name => _records.Any(r => r.Declaration.Vectors.Any(v => v.Name == name)));
        if (taken is not null)
        {
            throw new InvalidOperationException($"The server state of {declaration.Owner} declares vector '{taken}', which another component's state already has.");
        }
        var record = new StateRecord(declaration, Global.Length);
        if (_restored.Remove(declaration.Owner, out var saved))
        {
            Adopt(record, saved);
        }
        else
        {
            initialize?.Invoke(record);
        }
        _records.Add(record);
        return record;
    }

    /// <summary>Declares the state of <paramref name="owner"/> as model-sized vectors (zeros at first).</summary>
    public StateRecord Declare(string owner, params string[] modelSizedVectors) =>
        Declare(modelSizedVectors.Aggregate(new StateDeclaration(owner), (declaration, name) => declaration.Vector(name)));

    /// <summary>The declared vector <paramref name="name"/>, whichever component owns it (what a method broadcasts by name).</summary>
    public float[] Vector(string name)
    {
        foreach (var record in _records)
        {
            foreach (var field in record.Declaration.Vectors)
            {
                if (field.Name == name)
                {
                    return record.Vector(name);
                }
            }
        }
        throw new KeyNotFoundException($"No component of the server declares a vector '{name}'.");
    }

    /// <summary>Takes the values of a saved record: into the declared one of its owner, or held until its owner declares it.</summary>
    public void Restore(StateRecord saved)
    {
        if (_records.Find(r => r.Declaration.Owner == saved.Declaration.Owner) is { } declared)
        {
            Adopt(declared, saved);
        }
        else
        {
            _restored[saved.Declaration.Owner] = saved;
        }
    }

    private static void Adopt(StateRecord declared, StateRecord saved)
    {
        // A saved record gives every vector's length, so the model's length does not enter.
        if (!declared.Fits(saved.Declaration, -1))
        {
            throw new InvalidDataException($"The saved server state of {saved.Describe()} does not fit this run's ({declared.Describe()}).");
        }
        declared.CopyFrom(saved);
    }
}
