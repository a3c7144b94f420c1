using System.Collections.Concurrent;
using System.Reflection;
using Cohort.Federated.Config;

namespace Cohort.Federated.Components;

/// <summary>
/// The components of every loaded assembly that references Cohort.Federated: each public static
/// property of type <see cref="ComponentDeclaration"/> (or a sequence of them) is one. The choice
/// lists, the key table and the factories derive from here; an assembly loaded later is scanned (it alone) when the catalog is next read.
/// </summary>
public static class ComponentRegistry
{
    private static readonly Lock Gate = new();
    private static readonly ConcurrentQueue<Assembly> Pending = new();
    private static readonly HashSet<Assembly> Scanned = [];
    private static readonly List<(ComponentDeclaration Declaration, Assembly Source)> Found = [];
    private static volatile ComponentCatalog? _catalog;
    private static ComponentCatalog? _built;

    static ComponentRegistry()
    {
        // Subscribed before the first listing, so no assembly is missed; one in both is scanned once.
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Loaded(e.LoadedAssembly);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            Pending.Enqueue(assembly);
        }
    }

    /// <summary>Every declaration, by kind and then name.</summary>
    public static IReadOnlyList<ComponentDeclaration> All => Catalog.Declarations;

    internal static ComponentCatalog Catalog => _catalog ?? Rebuilt();

    public static IEnumerable<ComponentDeclaration> Of(ComponentKind kind) => All.Where(d => d.Kind == kind);

    /// <summary>Whether Cohort itself declares the component (not an assembly loaded beside it).</summary>
    public static bool IsBuiltIn(ComponentDeclaration declaration) => Catalog.BuiltIn.Contains(declaration);

    /// <summary>The names of a kind, in name order: the choices of its selector key.</summary>
    public static IReadOnlyList<string> Names(ComponentKind kind) => Of(kind).Select(d => d.Name).ToList();

    /// <summary>The component <paramref name="selector"/> names (default: the kind's first slot); an unknown name is a ConfigException listing the known ones.</summary>
    public static ComponentDeclaration<TArgs, TProduct> Selected<TArgs, TProduct>(ExperimentConfig config, ComponentKind kind, string? selector = null)
    {
        selector ??= ComponentSlot.Of(kind)[0].Selector!;
        string name = config.Get(selector);
        var declaration = Of(kind).FirstOrDefault(d => d.Name == name)
            ?? throw new ConfigException($"{selector}: '{name}' is not available; choose one of: {string.Join(", ", Names(kind))}.");
        return declaration as ComponentDeclaration<TArgs, TProduct>
            ?? throw new InvalidOperationException($"{ComponentSlot.Label(kind)} {name} is declared with a factory of {declaration.GetType().Name}, not of {typeof(TArgs).Name} → {typeof(TProduct).Name}.");
    }

    // Takes no lock: an assembly may load on a thread that holds the loader's while another scans.
    private static void Loaded(Assembly assembly)
    {
        Pending.Enqueue(assembly);
        _catalog = null;
    }

    /// <summary>Scans the assemblies loaded since the last catalog (only those) and builds the catalog anew.</summary>
    private static ComponentCatalog Rebuilt()
    {
        lock (Gate)
        {
            while (true)
            {
                // Reading a declaration may load further assemblies, which are queued again.
                while (Pending.TryDequeue(out var assembly))
                {
                    if (Scanned.Add(assembly))
                    {
                        Found.AddRange(Scan(assembly));
                    }
                }
                // An assembly that declares nothing (most do) leaves the catalog as it was.
                var catalog = _built is { } built && built.Declarations.Count == Found.Count ? built : new ComponentCatalog([.. Found]);
                _catalog = _built = catalog;
                // One queued meanwhile cleared the catalog after this assignment, or is seen here.
                if (Pending.IsEmpty)
                {
                    return catalog;
                }
            }
        }
    }

    private static List<(ComponentDeclaration Declaration, Assembly Source)> Scan(Assembly assembly)
    {
        string federated = typeof(ComponentDeclaration).Assembly.GetName().Name!;
        var found = new List<(ComponentDeclaration, Assembly)>();
        if (assembly.IsDynamic || (assembly.GetName().Name != federated && !assembly.GetReferencedAssemblies().Any(a => a.Name == federated)))
        {
            return found;
        }
        foreach (var type in Types(assembly).Where(t => !t.ContainsGenericParameters))
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (typeof(ComponentDeclaration).IsAssignableFrom(property.PropertyType))
                {
                    found.Add(((ComponentDeclaration)property.GetValue(null)!, assembly));
                }
                else if (property.PropertyType == typeof(IEnumerable<ComponentDeclaration>))
                {
                    found.AddRange(((IEnumerable<ComponentDeclaration>)property.GetValue(null)!).Select(d => (d, assembly)));
                }
            }
        }
        return found;
    }

    private static IEnumerable<Type> Types(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
