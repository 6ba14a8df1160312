using System.Text.Json.Nodes;

namespace LLMML.Sweeps.SearchSpaces;

/// <summary>
/// Named options to search (uniform, log-uniform, integer, choice, nested spaces), some active only when another
/// parameter takes given values. A search space is itself an option, so spaces nest. Tuners see it as the unit
/// hypercube [0, 1]^<see cref="FeatureSpaceDim"/>; <see cref="SampleFromFeatureSpace(ReadOnlySpan{double})"/> turns a point of it into a
/// <see cref="Parameter"/>. Microsoft.ML.SearchSpace's vocabulary, so moving to it later is a rename.
/// </summary>
public class SearchSpace : OptionBase
{
    private readonly List<(string Name, OptionBase Option)> _options = [];
    private readonly Dictionary<string, (string Parent, JsonNode?[] Values)> _conditions = new(StringComparer.Ordinal);

    /// <summary>The options in the order added (their feature-space dimensions follow this order).</summary>
    public IReadOnlyList<(string Name, OptionBase Option)> Options => _options;

    /// <summary>Adds <paramref name="option"/> under <paramref name="name"/>; a bad range or a repeated name throws naming it.</summary>
    public SearchSpace Add(string name, OptionBase option)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(option);
        if (_options.Any(o => o.Name == name)) throw new ArgumentException($"Parameter '{name}' is already in the search space.", name);
        option.Validate(name);
        OnAdding(name, option);
        _options.Add((name, option));
        return this;
    }

    /// <summary>
    /// Adds <paramref name="option"/>, active only when <paramref name="parent"/> (added before it) takes one of
    /// <paramref name="parentValues"/>; otherwise the parameter is absent from the proposed <see cref="Parameter"/>.
    /// </summary>
    public SearchSpace AddConditional(string name, OptionBase option, string parent, params object?[] parentValues)
    {
        if (!_options.Any(o => o.Name == parent))
            throw new ArgumentException($"Parameter '{name}': its condition names '{parent}', which is not in the search space (add it first).", name);
        if (parentValues.Length == 0) throw new ArgumentException($"Parameter '{name}': its condition on '{parent}' lists no values.", name);
        Add(name, option);
        _conditions[name] = (parent, parentValues.Select(ChoiceOption.ToNode).ToArray());
        return this;
    }

    /// <summary>Shorthand: a uniform (or log-uniform) real parameter.</summary>
    public SearchSpace Uniform(string name, double min, double max, bool logBase = false, double? defaultValue = null) =>
        Add(name, new UniformDoubleOption(min, max, logBase, defaultValue));

    /// <summary>Shorthand: a log-uniform real parameter.</summary>
    public SearchSpace LogUniform(string name, double min, double max, double? defaultValue = null) =>
        Add(name, new UniformDoubleOption(min, max, logBase: true, defaultValue));

    /// <summary>Shorthand: an integer parameter.</summary>
    public SearchSpace Integer(string name, int min, int max, bool logBase = false, int? defaultValue = null) =>
        Add(name, new UniformIntOption(min, max, logBase, defaultValue));

    /// <summary>Shorthand: a choice among <paramref name="choices"/>.</summary>
    public SearchSpace Choice(string name, params object?[] choices) => Add(name, new ChoiceOption(choices));

    /// <summary>Called before an option is added; typed spaces check the name against their options class.</summary>
    protected virtual void OnAdding(string name, OptionBase option) { }

    /// <inheritdoc />
    public override int FeatureSpaceDim => _options.Sum(o => o.Option.FeatureSpaceDim);

    /// <inheritdoc />
    public override JsonNode? DefaultValue => Build(o => o.DefaultValue);

    /// <summary>The default point (every option at its default).</summary>
    public Parameter DefaultParameter => new((JsonObject)DefaultValue!);

    /// <summary>The point at <paramref name="x"/> of the unit hypercube.</summary>
    public Parameter Sample(ReadOnlySpan<double> x) => new((JsonObject)SampleFromFeatureSpace(x)!);

    /// <inheritdoc />
    public override JsonNode? SampleFromFeatureSpace(ReadOnlySpan<double> x)
    {
        if (x.Length != FeatureSpaceDim) throw new ArgumentException($"A point of this search space has {FeatureSpaceDim} coordinates, not {x.Length}.", nameof(x));
        var values = new JsonObject();
        int offset = 0;
        foreach (var (name, option) in _options)
        {
            values[name] = option.SampleFromFeatureSpace(x.Slice(offset, option.FeatureSpaceDim));
            offset += option.FeatureSpaceDim;
        }
        return DropInactive(values);
    }

    /// <summary>The hypercube point of <paramref name="parameter"/> (inactive parameters at their defaults).</summary>
    public double[] MappingToFeatureSpace(Parameter parameter) => MappingToFeatureSpace(parameter.ToJsonObject());

    /// <inheritdoc />
    public override double[] MappingToFeatureSpace(JsonNode? value)
    {
        var values = value as JsonObject;
        var x = new List<double>(FeatureSpaceDim);
        foreach (var (name, option) in _options)
            x.AddRange(values is not null && values.TryGetPropertyValue(name, out var v) ? option.MappingToFeatureSpace(v) : option.Default);
        return [.. x];
    }

    /// <summary>
    /// Every point of the grid, in a fixed order (the last option varies fastest): each choice and each integer (or
    /// <paramref name="steps"/> evenly spaced values of a wide integer range) and <paramref name="steps"/> evenly spaced
    /// values of each real, ends included. Points that differ only in inactive parameters appear once.
    /// </summary>
    public IReadOnlyList<Parameter> Grid(int steps = 5)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "A grid needs at least one step per real parameter.");
        return GridValues(steps).Select(v => new Parameter((JsonObject)v!)).ToArray();
    }

    /// <inheritdoc />
    public override IReadOnlyList<JsonNode?> GridValues(int steps)
    {
        var axes = _options.Select(o => o.Option.GridValues(steps)).ToArray();
        double size = axes.Aggregate(1.0, (n, a) => n * a.Count);
        if (size > 1_000_000) throw new InvalidOperationException($"The grid has {size:G3} points; use fewer steps or another tuner.");
        var points = new List<JsonNode?>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = new int[axes.Length];
        if (axes.Any(a => a.Count == 0)) return points;
        while (true)
        {
            var values = new JsonObject();
            for (int i = 0; i < axes.Length; i++) values[_options[i].Name] = axes[i][index[i]]?.DeepClone();
            var point = DropInactive(values);
            if (seen.Add(point.ToJsonString())) points.Add(point);
            int k = axes.Length - 1;
            while (k >= 0 && ++index[k] == axes[k].Count) index[k--] = 0;
            if (k < 0) return points;
        }
    }

    /// <summary>Whether <paramref name="name"/> is active in <paramref name="values"/> (its condition, and its parent's, hold).</summary>
    private bool IsActive(string name, JsonObject values)
    {
        if (!_conditions.TryGetValue(name, out var condition)) return true;
        return values.TryGetPropertyValue(condition.Parent, out var parentValue)
               && condition.Values.Any(v => JsonNode.DeepEquals(v, parentValue));
    }

    // Options are added after their parents, so one pass in order sees each parent already decided.
    private JsonObject DropInactive(JsonObject values)
    {
        foreach (var (name, _) in _options)
            if (!IsActive(name, values)) values.Remove(name);
        return values;
    }

    private JsonObject Build(Func<OptionBase, JsonNode?> value)
    {
        var values = new JsonObject();
        foreach (var (name, option) in _options) values[name] = value(option);
        return DropInactive(values);
    }

    internal override void Validate(string name)
    {
        if (_options.Count == 0) throw new ArgumentException($"Parameter '{name}': a nested search space needs at least one option.", name);
    }

    internal override void AdoptDefault(JsonNode? value)
    {
        if (value is not JsonObject values) return;
        foreach (var (name, option) in _options)
            if (values.TryGetPropertyValue(name, out var v)) option.AdoptDefault(v);
    }

    /// <summary>Takes each option's default from <paramref name="instance"/>'s property of the same name, where it fits.</summary>
    internal void AdoptDefaultsFrom(object? instance)
    {
        if (instance is null) return;
        foreach (var (name, option) in _options)
        {
            if (OptionMember.Find(instance.GetType(), name) is not { } member) continue;
            var value = member.GetValue(instance);
            if (option is SearchSpace nested) nested.AdoptDefaultsFrom(value);
            else option.AdoptDefault(TryNode(value));
        }
    }

    /// <summary>Sets each of <paramref name="parameter"/>'s values on <paramref name="target"/>'s property of the same name (nested spaces on nested objects).</summary>
    public void ApplyTo(object target, Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(parameter);
        foreach (var name in parameter.Keys)
        {
            var property = SettableProperty(target.GetType(), name, _options.FirstOrDefault(o => o.Name == name).Option is SearchSpace);
            if (_options.FirstOrDefault(o => o.Name == name).Option is SearchSpace nested)
            {
                var inner = property.GetValue(target) ?? Activator.CreateInstance(property.Type)
                    ?? throw new ArgumentException($"Parameter '{name}': cannot create a {property.Type.Name} to set its values on.", name);
                nested.ApplyTo(inner, parameter.GetNested(name));
                if (property.CanSet) property.SetValue(target, inner);
            }
            else
            {
                property.SetValue(target, parameter.Get(name, property.Type));
            }
        }
    }

    /// <summary>Throws naming the parameter when <paramref name="type"/> lacks a property for any option (nested spaces recursively).</summary>
    internal void ValidateAgainst(Type type, string prefix = "")
    {
        foreach (var (name, option) in _options)
        {
            var property = SettableProperty(type, prefix + name, option is SearchSpace, name);
            if (option is SearchSpace nested) nested.ValidateAgainst(property.Type, prefix + name + ".");
        }
    }

    internal static OptionMember SettableProperty(Type type, string displayName, bool nested, string? name = null)
    {
        name ??= displayName;
        var member = OptionMember.Find(type, name);
        // A nested space may also fill an object its options class already holds in a get-only property.
        bool usable = member is not null && (member.CanSet || nested && !member.Type.IsValueType);
        if (usable) return member!;
        throw new ArgumentException($"Parameter '{displayName}': {type.Name} has no settable option '{name}' (options: {string.Join(", ", OptionMember.SettableNames(type))}).", displayName);
    }

    private static JsonNode? TryNode(object? value)
    {
        try
        {
            return ChoiceOption.ToNode(value);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
