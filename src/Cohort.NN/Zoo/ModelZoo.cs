using System.Reflection;
using Cohort.NN.Modules;

namespace Cohort.NN.Zoo;

/// <summary>Builds the named architectures of the experiment file's <c>model</c> key: every <see cref="ZooEntry"/> a Cohort.NN type declares.</summary>
public static class ModelZoo
{
    private static readonly Dictionary<string, ZooEntry> Entries = typeof(ModelZoo).Assembly.GetTypes()
        .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(p => p.PropertyType == typeof(ZooEntry))
        .Select(p => (ZooEntry)p.GetValue(null)!)
        .ToDictionary(e => e.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => Entries.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Every model, in name order.</summary>
    public static IEnumerable<ZooEntry> All => Names.Select(n => Entries[n]);

    public static Model Create(string name, ulong seed, ModelOptions? options = null)
    {
        if (!Entries.TryGetValue(name, out var entry))
        {
            throw new ArgumentException($"Unknown model '{name}'; the zoo has: {string.Join(", ", Names)}.");
        }
        options ??= ModelOptions.Mnist;
        var builder = new ParameterBuilder();
        var root = entry.Build(builder, options);
        return new Model(name, root, builder, entry.SampleShape(options), seed);
    }
}
