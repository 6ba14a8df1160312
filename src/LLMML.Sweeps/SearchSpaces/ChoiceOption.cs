using System.Text.Json;
using System.Text.Json.Nodes;

namespace LLMML.Sweeps.SearchSpaces;

/// <summary>
/// One of a list of values (numbers, names, enum members, lists — any JSON value). In the feature space the choices
/// split [0, 1] into equal cells, in the order given.
/// </summary>
public sealed class ChoiceOption : OptionBase
{
    private readonly JsonNode?[] _choices;
    private int? _default;

    /// <summary>Choices given as .NET values (enums are written by name).</summary>
    public ChoiceOption(params object?[] choices) : this(choices.Select(ToNode).ToArray(), null) { }

    /// <summary>Choices given as JSON values, with an optional default among them.</summary>
    public ChoiceOption(IEnumerable<JsonNode?> choices, JsonNode? defaultValue)
    {
        _choices = choices.Select(c => c?.DeepClone()).ToArray();
        if (defaultValue is not null) _default = IndexOf(defaultValue) is var i && i >= 0 ? i : throw new ArgumentException($"Default {defaultValue.ToJsonString()} is not one of the choices.");
    }

    /// <summary>The choices (JSON values).</summary>
    public IReadOnlyList<JsonNode?> Choices => _choices;

    /// <inheritdoc />
    public override int FeatureSpaceDim => 1;

    /// <inheritdoc />
    public override JsonNode? DefaultValue => _choices.Length == 0 ? null : _choices[_default ?? 0]?.DeepClone();

    /// <inheritdoc />
    public override JsonNode? SampleFromFeatureSpace(ReadOnlySpan<double> x) =>
        _choices[Math.Min((int)Math.Floor(Clamp01(x[0]) * _choices.Length), _choices.Length - 1)]?.DeepClone();

    /// <inheritdoc />
    public override double[] MappingToFeatureSpace(JsonNode? value)
    {
        int i = IndexOf(value);
        return [((i < 0 ? _default ?? 0 : i) + 0.5) / _choices.Length];
    }

    /// <inheritdoc />
    public override IReadOnlyList<JsonNode?> GridValues(int steps) => _choices.Select(c => c?.DeepClone()).ToArray();

    internal int IndexOf(JsonNode? value)
    {
        for (int i = 0; i < _choices.Length; i++)
            if (JsonNode.DeepEquals(_choices[i], value)) return i;
        return -1;
    }

    internal override void Validate(string name)
    {
        if (_choices.Length == 0) throw new ArgumentException($"Parameter '{name}': a choice needs at least one value.", name);
        for (int i = 0; i < _choices.Length; i++)
            if (IndexOf(_choices[i]) != i) throw new ArgumentException($"Parameter '{name}': choice {_choices[i]?.ToJsonString()} is listed twice.", name);
    }

    internal override void AdoptDefault(JsonNode? value)
    {
        if (_default is null && IndexOf(value) is var i && i >= 0) _default = i;
    }

    internal static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        Enum e => JsonValue.Create(e.ToString()),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), Parameter.ValueJson),
    };
}
