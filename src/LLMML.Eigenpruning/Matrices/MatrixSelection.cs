using LLMML.LanguageModels.Hooks;
using LLMML.LanguageModels.Modeling;

namespace LLMML.Eigenpruning.Matrices;

/// <summary>Which projections of a model are decomposed: kinds × layers, checked against the model.</summary>
public static class MatrixSelection
{
    /// <summary>
    /// The projections of <paramref name="kinds"/> in <paramref name="layers"/> (null = every layer), in layer-then-kind
    /// order. A layer the model lacks, or a kind it has none of (a gate in a GPT-2 MLP), throws naming it.
    /// </summary>
    public static IReadOnlyList<ProjectionId> Resolve(TransformerConfig config, IReadOnlyList<WeightKind> kinds, IReadOnlyList<int>? layers)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Count == 0) throw new ArgumentException("Select at least one matrix kind.", nameof(kinds));
        foreach (var kind in kinds)
            if (!ModelWeights.Has(config, kind))
                throw new ArgumentException($"Matrix kind {MatrixKinds.NameOf(kind)} does not exist in {config.ModelType} models.", nameof(kinds));
        var chosen = layers ?? Enumerable.Range(0, config.NumLayers).ToArray();
        if (chosen.Count == 0) throw new ArgumentException("Select at least one layer (or leave Layers null for all).", nameof(layers));
        foreach (var layer in chosen)
            if (layer < 0 || layer >= config.NumLayers)
                throw new ArgumentOutOfRangeException(nameof(layers), $"Layer {layer} does not exist; the model has layers 0..{config.NumLayers - 1}.");
        return chosen.Distinct().Order().SelectMany(l => kinds.Distinct().Select(k => new ProjectionId(l, k))).ToArray();
    }
}
