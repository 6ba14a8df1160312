using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LLMML.Sweeps.SearchSpaces;

/// <summary>
/// One point of a <see cref="SearchSpace"/>: parameter name → value (a number, a choice's JSON value, or a nested
/// <see cref="Parameter"/>), in the search space's order. As in Microsoft.ML.AutoML, tuners propose Parameters and
/// pipelines read them; the canonical JSON text is the point's identity (journals and de-duplication compare it).
/// </summary>
public sealed class Parameter
{
    internal static readonly JsonSerializerOptions ValueJson = new() { Converters = { new JsonStringEnumConverter() }, PropertyNameCaseInsensitive = true };

    private readonly JsonObject _values;

    internal Parameter(JsonObject values) => _values = values;

    /// <summary>Parameter names present in this point (inactive conditional parameters are absent).</summary>
    public IEnumerable<string> Keys => _values.Select(kv => kv.Key);

    /// <summary>Whether <paramref name="name"/> has a value (false for an inactive conditional parameter).</summary>
    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>The raw JSON value of <paramref name="name"/>.</summary>
    public JsonNode? this[string name] => _values.TryGetPropertyValue(name, out var node)
        ? node
        : throw new KeyNotFoundException($"Parameter '{name}' is not set in {this} (unknown, or inactive under its condition).");

    /// <summary>The value of <paramref name="name"/> as <typeparamref name="T"/> (enums by name, lists from arrays).</summary>
    public T Get<T>(string name) => (T)Get(name, typeof(T))!;

    /// <summary>The value of <paramref name="name"/> converted to <paramref name="type"/>.</summary>
    public object? Get(string name, Type type)
    {
        var node = this[name];
        try
        {
            return node.Deserialize(type, ValueJson);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException($"Parameter '{name}' = {node?.ToJsonString() ?? "null"} cannot be read as {type.Name}: {e.Message}", name, e);
        }
    }

    /// <summary>The value of <paramref name="name"/> as a number.</summary>
    public double GetDouble(string name) => Get<double>(name);

    /// <summary>The nested point of a nested search space.</summary>
    public Parameter GetNested(string name) => this[name] is JsonObject o
        ? new Parameter(o)
        : throw new ArgumentException($"Parameter '{name}' is not a nested search space.", name);

    /// <summary>The point as a JSON object (a copy).</summary>
    public JsonObject ToJsonObject() => (JsonObject)_values.DeepClone();

    /// <summary>Reads a point written by <see cref="ToString"/> or <see cref="ToJsonObject"/>.</summary>
    public static Parameter FromJson(JsonObject json) => new((JsonObject)json.DeepClone());

    /// <summary>Flattened (dotted names for nested spaces) values, for tables and plots.</summary>
    public IEnumerable<KeyValuePair<string, JsonNode?>> Flatten(string prefix = "")
    {
        foreach (var (key, value) in _values)
        {
            if (value is JsonObject nested)
                foreach (var inner in new Parameter(nested).Flatten(prefix + key + "."))
                    yield return inner;
            else
                yield return new(prefix + key, value);
        }
    }

    /// <summary>Canonical compact JSON: the point's identity.</summary>
    public override string ToString() => _values.ToJsonString();

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Parameter p && p.ToString() == ToString();

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
