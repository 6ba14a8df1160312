using System.Text.Json.Nodes;

namespace LLMML.Sweeps.SearchSpaces;

/// <summary>
/// A search space over the options class <typeparamref name="T"/>: every parameter is a settable property of it
/// (checked when added: an unknown name throws naming it), each default is the value a fresh
/// <typeparamref name="T"/> has, and <see cref="Create"/> turns a proposed <see cref="Parameter"/> into options.
/// </summary>
public sealed class SearchSpace<T> : SearchSpace where T : class
{
    private readonly Func<T> _create;

    /// <summary>A space whose options start from <paramref name="create"/>'s object (default: <c>new T()</c>).</summary>
    public SearchSpace(Func<T>? create = null) =>
        _create = create ?? (() => Activator.CreateInstance<T>());

    /// <summary>Options with <paramref name="parameter"/>'s values set on a fresh object.</summary>
    public T Create(Parameter parameter)
    {
        var options = _create();
        ApplyTo(options, parameter);
        return options;
    }

    /// <summary>
    /// Every point of <see cref="SearchSpace.Grid"/> as options, in grid order (the last parameter varies fastest): the
    /// list a component with a hand-written grid takes instead (e.g. the complexity strategies' settings), so the grid
    /// is drawn from a space without the component referencing this library.
    /// </summary>
    public IReadOnlyList<T> GridOptions(int steps = 5) => Grid(steps).Select(Create).ToArray();

    /// <summary>
    /// <paramref name="count"/> distinct points drawn uniformly from the space (log ranges log-uniformly), seeded, as
    /// options — for a component that runs a fixed list without feedback; fewer when the space has fewer points.
    /// </summary>
    public IReadOnlyList<T> SampleOptions(int count, int seed = 0)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Sample at least one point.");
        var random = new Random(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var points = new List<T>();
        // A finite space (choices, integers) may hold fewer distinct points than asked for: stop after many repeats.
        for (int misses = 0; points.Count < count && misses < 100 * count;)
        {
            var x = new double[FeatureSpaceDim];
            for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble();
            var parameter = Sample(x);
            if (seen.Add(parameter.ToString())) points.Add(Create(parameter));
            else misses++;
        }
        return points;
    }

    // The builders again, typed, so a fluent chain keeps Create.

    /// <inheritdoc cref="SearchSpace.Add"/>
    public new SearchSpace<T> Add(string name, OptionBase option) => (SearchSpace<T>)base.Add(name, option);

    /// <inheritdoc cref="SearchSpace.AddConditional"/>
    public new SearchSpace<T> AddConditional(string name, OptionBase option, string parent, params object?[] parentValues) =>
        (SearchSpace<T>)base.AddConditional(name, option, parent, parentValues);

    /// <inheritdoc cref="SearchSpace.Uniform"/>
    public new SearchSpace<T> Uniform(string name, double min, double max, bool logBase = false, double? defaultValue = null) =>
        (SearchSpace<T>)base.Uniform(name, min, max, logBase, defaultValue);

    /// <inheritdoc cref="SearchSpace.LogUniform"/>
    public new SearchSpace<T> LogUniform(string name, double min, double max, double? defaultValue = null) =>
        (SearchSpace<T>)base.LogUniform(name, min, max, defaultValue);

    /// <inheritdoc cref="SearchSpace.Integer"/>
    public new SearchSpace<T> Integer(string name, int min, int max, bool logBase = false, int? defaultValue = null) =>
        (SearchSpace<T>)base.Integer(name, min, max, logBase, defaultValue);

    /// <inheritdoc cref="SearchSpace.Choice"/>
    public new SearchSpace<T> Choice(string name, params object?[] choices) => (SearchSpace<T>)base.Choice(name, choices);

    /// <summary>Reads a search space over <typeparamref name="T"/> from JSON (format: <see cref="SearchSpaceJson"/>).</summary>
    public static SearchSpace<T> FromJson(JsonObject json, Func<T>? create = null)
    {
        var space = new SearchSpace<T>(create);
        SearchSpaceJson.Fill(space, json);
        return space;
    }

    /// <inheritdoc />
    protected override void OnAdding(string name, OptionBase option)
    {
        var property = SettableProperty(typeof(T), name, option is SearchSpace);
        if (option is SearchSpace nested) nested.ValidateAgainst(property.Type, name + ".");
        var fresh = _create();
        if (option is SearchSpace inner) inner.AdoptDefaultsFrom(property.GetValue(fresh));
        else AdoptDefaultsFromProperty(option, property.GetValue(fresh));
    }

    private static void AdoptDefaultsFromProperty(OptionBase option, object? value)
    {
        try
        {
            option.AdoptDefault(ChoiceOption.ToNode(value));
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException)
        {
            // A value JSON cannot express cannot be a default either; the option keeps its own.
        }
    }
}
