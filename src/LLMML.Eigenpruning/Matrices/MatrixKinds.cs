using LLMML.LanguageModels.Hooks;

namespace LLMML.Eigenpruning.Matrices;

/// <summary>
/// The short names of weight kinds used on the command line and in reports: q, k, v, o (attention query, key, value,
/// output) and mlp-in, mlp-gate, mlp-out — the paper's reference code's Q, K, V, O and the two MLP matrices.
/// </summary>
public static class MatrixKinds
{
    private static readonly (string Name, WeightKind Kind)[] Names =
    [
        ("q", WeightKind.Query), ("k", WeightKind.Key), ("v", WeightKind.Value), ("o", WeightKind.Output),
        ("mlp-in", WeightKind.MlpIn), ("mlp-gate", WeightKind.MlpGate), ("mlp-out", WeightKind.MlpOut),
    ];

    /// <summary>The short name of <paramref name="kind"/>.</summary>
    public static string NameOf(WeightKind kind) => Names.First(n => n.Kind == kind).Name;

    /// <summary>Parses "k,q,v,o,mlp-in,mlp-out" (case-insensitive, also the enum names); unknown names throw, listing the valid ones.</summary>
    public static IReadOnlyList<WeightKind> Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var kinds = new List<WeightKind>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Names.Where(n => string.Equals(n.Name, part, StringComparison.OrdinalIgnoreCase)).Select(n => (WeightKind?)n.Kind).FirstOrDefault();
            if (match is null && Enum.TryParse<WeightKind>(part, ignoreCase: true, out var parsed)) match = parsed;
            if (match is not { } kind)
                throw new ArgumentException($"Unknown matrix kind '{part}'; use {string.Join(", ", Names.Select(n => n.Name))}.", nameof(list));
            if (!kinds.Contains(kind)) kinds.Add(kind);
        }
        if (kinds.Count == 0) throw new ArgumentException("Name at least one matrix kind (e.g. k).", nameof(list));
        return kinds;
    }
}
