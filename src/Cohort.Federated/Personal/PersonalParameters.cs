using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.State;
using Cohort.NN.Modules;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.Federated.Personal;

/// <summary>
/// The part of the model each client keeps for itself across rounds (its personal model), chosen by
/// parameter-name patterns: the ranges those parameters take in the flat parameter vector, and the ranges
/// of the buffers (batch-norm running statistics) the patterns name in the flat buffer vector. A client's
/// copy lives in the client state store as <see cref="ClientState"/>'s vector (the parameter ranges' values,
/// then the buffer ranges', concatenated); a client without one starts from the global model's values.
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
    private readonly (int Offset, int Length)[] _bufferRanges;
    private readonly int _parameterLength;
    private readonly int _bufferCount;

    /// <param name="ranges">The kept parameters' ranges in the flat parameter vector.</param>
    /// <param name="bufferRanges">The kept buffers' ranges in the flat buffer vector (none by default).</param>
    /// <param name="bufferCount">The model's buffer vector's length (0: the model has none).</param>
    public PersonalParameters(IReadOnlyList<(int Offset, int Length)> ranges, IReadOnlyList<(int Offset, int Length)>? bufferRanges = null, int bufferCount = 0)
    {
        _ranges = [.. ranges];
        _bufferRanges = [.. bufferRanges ?? []];
        _parameterLength = _ranges.Sum(r => r.Length);
        _bufferCount = bufferCount;
        Length = _parameterLength + _bufferRanges.Sum(r => r.Length);
    }

    /// <summary>The flat-vector ranges of the kept parameters, in parameter order.</summary>
    public IReadOnlyList<(int Offset, int Length)> Ranges => _ranges;

    /// <summary>The flat buffer-vector ranges of the kept buffers (running statistics), in buffer order.</summary>
    public IReadOnlyList<(int Offset, int Length)> BufferRanges => _bufferRanges;

    /// <summary>Values kept per client: the kept parameters' and buffers'.</summary>
    public int Length { get; }

    /// <summary>
    /// The parameters and buffers of <paramref name="model"/> whose names match one of <paramref name="patterns"/>
    /// ("*" matches any characters; <see cref="Head"/> and <see cref="Body"/> the last layer and the rest, <see cref="BatchNorm"/>
    /// the layers with running statistics); <paramref name="key"/> names the setting in errors, as does a
    /// pattern that matches nothing (but <see cref="BatchNorm"/>, which a model without batch norm leaves empty).
    /// </summary>
    public static PersonalParameters Of(IReadOnlyList<string> patterns, Model model, string key)
    {
        var matched = new bool[patterns.Count];
        string head = HeadOf(model);
        var normLayers = model.NamedBuffers.Select(t => LayerOf(t.Name ?? "")).ToHashSet(StringComparer.Ordinal);
        var ranges = Select(model.NamedParameters, patterns, head, normLayers, matched);
        var bufferRanges = Select(model.NamedBuffers, patterns, head, normLayers, matched);
        for (int p = 0; p < patterns.Count; p++)
        {
            if (!matched[p] && patterns[p] != BatchNorm)
            {
                throw new ConfigException($"{key}: '{patterns[p]}' matches no parameter of {model.Name} (its parameters: {string.Join(", ", model.NamedParameters.Select(t => t.Name))}).");
            }
        }
        return new PersonalParameters(ranges, bufferRanges, model.Buffers.Length);
    }

    /// <summary>The flat-vector ranges of the <paramref name="tensors"/> one of <paramref name="patterns"/> selects, marking in <paramref name="matched"/> the patterns that selected one.</summary>
    private static List<(int, int)> Select(IReadOnlyList<Tensor> tensors, IReadOnlyList<string> patterns, string head, HashSet<string> normLayers, bool[] matched)
    {
        var ranges = new List<(int, int)>();
        int offset = 0;
        foreach (var tensor in tensors)
        {
            string name = tensor.Name ?? "";
            bool kept = false;
            for (int p = 0; p < patterns.Count; p++)
            {
                if (Selects(patterns[p], name, head, normLayers))
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
        return ranges;
    }

    /// <summary>The selection of the model's last layer (the head): the parameters named as the last parameter up to its last dot (fc3.weight and fc3.bias of the MLP).</summary>
    public const string Head = "@head";

    /// <summary>The selection of every parameter outside the last layer (the body, or representation).</summary>
    public const string Body = "@body";

    /// <summary>The selection of every layer with running statistics (batch norm): its weight, bias, running mean and variance.</summary>
    public const string BatchNorm = "@batchnorm";

    /// <summary>The layer name of the model's last parameter ("fc3" for fc3.bias).</summary>
    private static string HeadOf(Model model) => LayerOf(model.NamedParameters.Count == 0 ? "" : model.NamedParameters[^1].Name ?? "");

    /// <summary>The layer of a parameter or buffer name: the name up to its last dot ("bn1" for bn1.running_mean).</summary>
    private static string LayerOf(string name)
    {
        int dot = name.LastIndexOf('.');
        return dot < 0 ? name : name[..dot];
    }

    private static bool InLayer(string name, string layer) =>
        name == layer || (name.StartsWith(layer, StringComparison.Ordinal) && name.Length > layer.Length && name[layer.Length] == '.');

    private static bool Selects(string pattern, string name, string head, HashSet<string> normLayers) => pattern switch
    {
        Head => InLayer(name, head),
        Body => !InLayer(name, head),
        BatchNorm => normLayers.Contains(LayerOf(name)),
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
    public void Compose(IClientStateStore states, int client, ReadOnlySpan<float> global, Span<float> destination) =>
        Compose(states, client, global, destination, _ranges, 0);

    /// <summary>Writes the client's buffers into <paramref name="destination"/>: <paramref name="broadcast"/> (the server's) with the kept running statistics from the client's copy.</summary>
    public void ComposeBuffers(IClientStateStore states, int client, ReadOnlySpan<float> broadcast, Span<float> destination) =>
        Compose(states, client, broadcast, destination, _bufferRanges, _parameterLength);

    private void Compose(IClientStateStore states, int client, ReadOnlySpan<float> shared, Span<float> destination, (int Offset, int Length)[] ranges, int at)
    {
        shared.CopyTo(destination);
        var copy = Scratch();
        if (ranges.Length == 0 || !states.TryRead(client, ValuesState, copy))
        {
            return;
        }
        foreach (var (offset, length) in ranges)
        {
            copy.AsSpan(at, length).CopyTo(destination.Slice(offset, length));
            at += length;
        }
    }

    /// <summary>
    /// The buffers a client's objective starts from: <paramref name="broadcast"/>, or with kept buffers the
    /// client's own composed into <paramref name="scratch"/> (the buffers' length).
    /// </summary>
    public ReadOnlyMemory<float> BuffersFor(IClientStateStore states, int client, ReadOnlyMemory<float> broadcast, float[] scratch)
    {
        if (_bufferRanges.Length == 0)
        {
            return broadcast;
        }
        ComposeBuffers(states, client, broadcast.Span, scratch);
        return scratch;
    }

    /// <summary>Stores the kept ranges of <paramref name="local"/> and <paramref name="localBuffers"/> (the client's model and running statistics after its local work) as the client's copy.</summary>
    public void Keep(IClientStateStore states, int client, ReadOnlySpan<float> local, ReadOnlySpan<float> localBuffers = default)
    {
        var copy = Scratch();
        int at = 0;
        foreach (var (offset, length) in _ranges)
        {
            local.Slice(offset, length).CopyTo(copy.AsSpan(at, length));
            at += length;
        }
        foreach (var (offset, length) in _bufferRanges)
        {
            localBuffers.Slice(offset, length).CopyTo(copy.AsSpan(at, length));
            at += length;
        }
        states.Write(client, ValuesState, copy);
    }

    /// <summary>
    /// The buffers a client reports for the server's mean: none when every buffer is kept, else
    /// <paramref name="local"/> with the kept ranges set back to <paramref name="broadcast"/>'s values (in
    /// <paramref name="scratch"/>, the buffers' length), so the mean of the kept statistics stays the server's and carries nothing of the client's.
    /// </summary>
    public ReadOnlyMemory<float> ReportedBuffers(float[] local, ReadOnlySpan<float> broadcast, float[] scratch)
    {
        if (_bufferRanges.Length == 0)
        {
            return local;
        }
        if (Length - _parameterLength == _bufferCount)
        {
            return ReadOnlyMemory<float>.Empty;
        }
        local.CopyTo(scratch, 0);
        foreach (var (offset, length) in _bufferRanges)
        {
            broadcast.Slice(offset, length).CopyTo(scratch.AsSpan(offset, length));
        }
        return scratch;
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
