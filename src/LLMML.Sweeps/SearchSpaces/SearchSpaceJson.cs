using System.Text.Json;
using System.Text.Json.Nodes;

namespace LLMML.Sweeps.SearchSpaces;

/// <summary>
/// Search spaces written as JSON, one member per parameter:
/// <code>
/// {
///   "Fraction":     { "uniform": [0.05, 0.5], "default": 0.2 },
///   "L2":           { "logUniform": [1e-4, 1] },
///   "Rank":         { "int": [1, 16], "log": true },
///   "Ablation":     { "choice": ["Mean", "Zero"] },
///   "Steps":        { "int": [10, 100], "when": { "Method": ["lora"] } },
///   "PageRank":     { "nested": { "Alpha": { "uniform": [0.5, 0.95] } } }
/// }
/// </code>
/// "when" makes a parameter conditional on an earlier one; "default" overrides the options class's own value.
/// </summary>
public static class SearchSpaceJson
{
    private static readonly string[] Kinds = ["uniform", "logUniform", "int", "choice", "nested"];

    /// <summary>Reads an untyped search space (parameter names are free).</summary>
    public static SearchSpace Read(JsonObject json)
    {
        var space = new SearchSpace();
        Fill(space, json);
        return space;
    }

    /// <summary>Reads a search space from JSON text.</summary>
    public static SearchSpace Read(string jsonText) =>
        Read(JsonNode.Parse(jsonText) as JsonObject ?? throw new InvalidDataException("A search space must be a JSON object of parameters."));

    internal static void Fill(SearchSpace space, JsonObject json)
    {
        foreach (var (name, node) in json)
        {
            if (node is not JsonObject spec) throw new InvalidDataException($"Parameter '{name}': expected an object such as {{\"uniform\": [0, 1]}}.");
            var kinds = Kinds.Where(spec.ContainsKey).ToArray();
            if (kinds.Length != 1)
                throw new InvalidDataException($"Parameter '{name}': give exactly one of {string.Join(", ", Kinds)} (found {(kinds.Length == 0 ? "none" : string.Join(", ", kinds))}).");
            var option = Option(name, kinds[0], spec);
            if (spec["when"] is JsonObject when)
            {
                if (when.Count != 1 || when.First().Value is not JsonArray values)
                    throw new InvalidDataException($"Parameter '{name}': \"when\" must be {{\"parent\": [values]}}.");
                space.AddConditional(name, option, when.First().Key, values.Select(v => (object?)v?.DeepClone()).ToArray());
            }
            else
            {
                space.Add(name, option);
            }
        }
    }

    private static OptionBase Option(string name, string kind, JsonObject spec)
    {
        try
        {
            bool log = spec["log"]?.GetValue<bool>() ?? false;
            switch (kind)
            {
                case "uniform":
                case "logUniform":
                    var (lo, hi) = Range<double>(name, spec[kind]);
                    return new UniformDoubleOption(lo, hi, log || kind == "logUniform", spec["default"]?.GetValue<double>());
                case "int":
                    var (a, b) = Range<int>(name, spec[kind]);
                    return new UniformIntOption(a, b, log, spec["default"]?.GetValue<int>());
                case "choice":
                    if (spec[kind] is not JsonArray choices) throw new InvalidDataException($"Parameter '{name}': \"choice\" must be an array of values.");
                    return new ChoiceOption(choices, spec["default"]);
                default:
                    if (spec[kind] is not JsonObject inner) throw new InvalidDataException($"Parameter '{name}': \"nested\" must be an object of parameters.");
                    var nested = new SearchSpace();
                    Fill(nested, inner);
                    return nested;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            throw new InvalidDataException($"Parameter '{name}': {e.Message}", e);
        }
        catch (ArgumentException e) when (!e.Message.StartsWith("Parameter '", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Parameter '{name}': {e.Message}", e);
        }
    }

    private static (T Min, T Max) Range<T>(string name, JsonNode? node) =>
        node is JsonArray { Count: 2 } pair && pair[0] is not null && pair[1] is not null
            ? (pair[0]!.GetValue<T>(), pair[1]!.GetValue<T>())
            : throw new InvalidDataException($"Parameter '{name}': a range is [min, max].");
}
