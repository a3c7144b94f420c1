using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.State;
using Cohort.NN.Modules;

namespace Cohort.Federated.Personal;

/// <summary>
/// The part of the model each client keeps for itself across rounds (its personal model), chosen by
/// parameter-name patterns: the ranges those parameters take in the flat parameter vector. A client's
/// copy lives in the client state store as <see cref="ClientState"/>'s vector (the ranges' values, concatenated);
/// a client without one starts from the global model's values.
/// </summary>
internal sealed class PersonalParameters : IPersonalModel
{
    /// <summary>The name of a client's personal values (its client state, and the worker's buffer of the composed model).</summary>
    public const string StateName = "personal.parameters";

    /// <summary>What each client keeps: the values of its kept part.</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("personal").Vector(StateName);

    private static readonly ClientVector ValuesState = ClientState[StateName];

    [ThreadStatic]
    private static float[]? t_copy;

    private readonly (int Offset, int Length)[] _ranges;

    public PersonalParameters(IReadOnlyList<(int Offset, int Length)> ranges)
    {
        _ranges = [.. ranges];
        Length = _ranges.Sum(r => r.Length);
    }

    /// <summary>The flat-vector ranges of the kept parameters, in parameter order.</summary>
    public IReadOnlyList<(int Offset, int Length)> Ranges => _ranges;

    /// <summary>Values kept per client.</summary>
    public int Length { get; }

    /// <summary>
    /// The parameters of <paramref name="model"/> whose names match one of <paramref name="patterns"/>
    /// ("*" matches any characters; <see cref="Head"/> and <see cref="Body"/> the last layer and the rest); <paramref name="key"/> names the setting in errors, as does a
    /// pattern that matches nothing.
    /// </summary>
    public static PersonalParameters Of(IReadOnlyList<string> patterns, Model model, string key)
    {
        var ranges = new List<(int, int)>();
        var matched = new bool[patterns.Count];
        int offset = 0;
        string head = HeadOf(model);
        foreach (var tensor in model.NamedParameters)
        {
            string name = tensor.Name ?? "";
            bool kept = false;
            for (int p = 0; p < patterns.Count; p++)
            {
                if (Selects(patterns[p], name, head))
                {
                    matched[p] = kept = true;
                }
            }
            if (kept)
            {
                ranges.Add((offset, tensor.Size));
            }
            offset += tensor.Size;
        }
        int missing = Array.IndexOf(matched, false);
        if (missing >= 0)
        {
            throw new ConfigException($"{key}: '{patterns[missing]}' matches no parameter of {model.Name} (its parameters: {string.Join(", ", model.NamedParameters.Select(t => t.Name))}).");
        }
        return new PersonalParameters(ranges);
    }

    /// <summary>The selection of the model's last layer (the head): the parameters named as the last parameter up to its last dot (fc3.weight and fc3.bias of the MLP).</summary>
    public const string Head = "@head";

    /// <summary>The selection of every parameter outside the last layer (the body, or representation).</summary>
    public const string Body = "@body";

    /// <summary>The layer name of the model's last parameter ("fc3" for fc3.bias).</summary>
    private static string HeadOf(Model model)
    {
        string last = model.NamedParameters.Count == 0 ? "" : model.NamedParameters[^1].Name ?? "";
        int dot = last.LastIndexOf('.');
        return dot < 0 ? last : last[..dot];
    }

    private static bool InLayer(string name, string layer) =>
        name == layer || (name.StartsWith(layer, StringComparison.Ordinal) && name.Length > layer.Length && name[layer.Length] == '.');

    private static bool Selects(string pattern, string name, string head) => pattern switch
    {
        Head => InLayer(name, head),
        Body => !InLayer(name, head),
        _ => Matches(pattern, name),
    };

    /// <summary>The flat-vector ranges outside the kept ones, in a vector of <paramref name="length"/> values.</summary>
    public IReadOnlyList<(int Offset, int Length)> Complement(int length)
    {
        var rest = new List<(int, int)>();
        int at = 0;
        foreach (var (offset, size) in _ranges)
        {
            if (offset > at)
            {
                rest.Add((at, offset - at));
            }
            at = offset + size;
        }
        if (length > at)
        {
            rest.Add((at, length - at));
        }
        return rest;
    }

    /// <summary>The part <paramref name="algorithm"/> keeps per client, on <paramref name="model"/>'s parameters; null when it keeps none.</summary>
    public static PersonalParameters? For(IFederatedAlgorithm algorithm, Model model)
    {
        if (algorithm.PersonalPatterns.Count == 0)
        {
            return null;
        }
        // The part is withheld from the update by its ranges, which exist only in a model-sized update.
        for (int e = 0; e < algorithm.Exchanges; e++)
        {
            if (algorithm.UpdateLength(e, model.ParameterCount) != model.ParameterCount)
            {
                throw new ConfigException($"{Key}: {algorithm.Name} sends {algorithm.UpdateLength(e, model.ParameterCount)} values in exchange {e}, not the model's {model.ParameterCount}, so no part of the model can be kept back (turn off the compression that reshapes the update).");
            }
        }
        return Of(algorithm.PersonalPatterns, model, Key);
    }

    /// <summary>The setting that names the kept parameters.</summary>
    public const string Key = "algorithm.personal";

    /// <summary>The patterns of a comma-separated list, blanks trimmed.</summary>
    public static IReadOnlyList<string> Patterns(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Whether <paramref name="name"/> matches <paramref name="pattern"/>, where "*" stands for any characters (none included).</summary>
    public static bool Matches(string pattern, string name)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return pattern == name;
        }
        if (!name.StartsWith(parts[0], StringComparison.Ordinal) || !name.EndsWith(parts[^1], StringComparison.Ordinal)
            || name.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }
        int at = parts[0].Length, end = name.Length - parts[^1].Length;
        for (int i = 1; i < parts.Length - 1; i++)
        {
            int found = name.IndexOf(parts[i], at, end - at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }
            at = found + parts[i].Length;
        }
        return true;
    }

    /// <summary>Writes the client's personal model into <paramref name="destination"/>: <paramref name="global"/> with the kept ranges from the client's copy (the global values when it has none yet).</summary>
    public void Compose(IClientStateStore states, int client, ReadOnlySpan<float> global, Span<float> destination)
    {
        global.CopyTo(destination);
        var copy = Scratch();
        if (!states.TryRead(client, ValuesState, copy))
        {
            return;
        }
        int at = 0;
        foreach (var (offset, length) in _ranges)
        {
            copy.AsSpan(at, length).CopyTo(destination.Slice(offset, length));
            at += length;
        }
    }

    /// <summary>Stores the kept ranges of <paramref name="local"/> (the client's model after its local work) as the client's copy.</summary>
    public void Keep(IClientStateStore states, int client, ReadOnlySpan<float> local)
    {
        var copy = Scratch();
        int at = 0;
        foreach (var (offset, length) in _ranges)
        {
            local.Slice(offset, length).CopyTo(copy.AsSpan(at, length));
            at += length;
        }
        states.Write(client, ValuesState, copy);
    }

    /// <summary>Zeroes the kept ranges of an update, so what the client sends carries nothing of its personal values.</summary>
    public void Withhold(Span<float> update)
    {
        foreach (var (offset, length) in _ranges)
        {
            update.Slice(offset, length).Clear();
        }
    }

    private float[] Scratch() => t_copy is { } held && held.Length == Length ? held : t_copy = new float[Length];
}
