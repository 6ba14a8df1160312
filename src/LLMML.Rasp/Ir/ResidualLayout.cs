using LLMML.Rasp.Language;

namespace LLMML.Rasp.Ir;

/// <summary>Where one variable lives in the residual stream.</summary>
/// <param name="Name">Variable (SOp label, or a scratch name).</param>
/// <param name="Start">First dimension.</param>
/// <param name="Count">Number of dimensions.</param>
/// <param name="Encoding">Categorical (one-hot over <paramref name="Values"/>) or numerical (one scalar).</param>
/// <param name="Values">The value of each dimension (categorical) or empty.</param>
public sealed record VariableRange(string Name, int Start, int Count, RaspEncoding Encoding, IReadOnlyList<RaspValue> Values);

/// <summary>The residual stream: an ordered list of named basis directions, grouped by variable.</summary>
public sealed class ResidualLayout
{
    private readonly List<BasisDirection> _directions = [];
    private readonly Dictionary<BasisDirection, int> _index = new();
    private readonly List<VariableRange> _variables = [];

    /// <summary>The constant direction, 1 at every non-padding position.</summary>
    public const string One = "one";

    /// <summary>The input tokens' variable (the vocabulary plus BOS).</summary>
    public const string Tokens = "tokens";

    /// <summary>The positions' variable (0..N−1; BOS has none).</summary>
    public const string Indices = "indices";

    /// <summary>The BOS direction: attention's fallback key and the gate of every MLP constant.</summary>
    public static BasisDirection Bos(string bosToken) => new(Tokens, bosToken);

    public IReadOnlyList<BasisDirection> Directions => _directions;
    public IReadOnlyList<VariableRange> Variables => _variables;
    public int Width => _directions.Count;

    /// <summary>Index of a direction; throws naming it when absent.</summary>
    public int this[BasisDirection d] => _index.TryGetValue(d, out var i) ? i
        : throw new KeyNotFoundException($"The residual stream has no direction '{d.Label}'.");

    public bool Contains(BasisDirection d) => _index.ContainsKey(d);

    /// <summary>The range of a variable by name.</summary>
    public VariableRange Variable(string name) => _variables.FirstOrDefault(v => v.Name == name)
        ?? throw new KeyNotFoundException($"The residual stream has no variable '{name}'.");

    internal void AddCategorical(string name, IEnumerable<RaspValue> values)
    {
        var vals = values.ToList();
        var start = _directions.Count;
        foreach (var v in vals) Add(new BasisDirection(name, v));
        _variables.Add(new VariableRange(name, start, vals.Count, RaspEncoding.Categorical, vals));
    }

    internal void AddNumerical(string name)
    {
        var start = _directions.Count;
        Add(new BasisDirection(name));
        _variables.Add(new VariableRange(name, start, 1, RaspEncoding.Numerical, []));
    }

    private void Add(BasisDirection d)
    {
        if (!_index.TryAdd(d, _directions.Count))
            throw new InvalidOperationException($"Duplicate residual direction '{d.Label}'.");
        _directions.Add(d);
    }
}
