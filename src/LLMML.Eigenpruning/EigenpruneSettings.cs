using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Hooks;

namespace LLMML.Eigenpruning;

/// <summary>
/// What eigenpruning itself needs — which matrices, how singular values are scored, chosen and removed — apart from
/// the ML.NET options (<see cref="Transforms.EigenpruneOptions"/>, which add model, columns and answer scoring and
/// hand these over through <see cref="Transforms.EigenpruneOptions.Settings"/>). <see cref="Eigenpruner"/>, the
/// baselines and the complexity mask strategy take this.
/// </summary>
public sealed record EigenpruneSettings
{
    /// <summary>Matrix kinds decomposed (default: attention keys, the paper's default).</summary>
    public IReadOnlyList<WeightKind> Matrices { get; init; } = [WeightKind.Key];

    /// <summary>Blocks whose matrices are decomposed; null = all.</summary>
    public IReadOnlyList<int>? Layers { get; init; }

    /// <summary>Decompose attention matrices per head (the paper); off = one SVD per whole projection. MLP matrices have no heads.</summary>
    public bool PerHead { get; init; } = true;

    /// <summary>Prune this share of the lowest-scored singular values, in (0, 1). When Fraction, Count and Threshold are all null, 0.2.</summary>
    public double? Fraction { get; init; }

    /// <summary>Prune this many lowest-scored singular values (instead of a fraction).</summary>
    public int? Count { get; init; }

    /// <summary>Prune every singular value scored below this (instead of a fraction).</summary>
    public double? Threshold { get; init; }

    /// <summary>How per-example, per-position effects become one score (default: the maximum, as in the paper).</summary>
    public EffectReduction Reduction { get; init; } = EffectReduction.Max;

    /// <summary>What replaces a removed direction (default: its mean over the training tokens, folded into the bias).</summary>
    public Ablation Ablation { get; init; } = Ablation.Mean;

    /// <summary>Seeds the pairing of each example with its corrupted partner (and the baselines' randomness).</summary>
    public int Seed { get; init; }

    /// <summary>Examples per forward/backward pass.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Receives progress of scoring and of the baselines.</summary>
    public IProgress<ProgressUpdate>? Progress { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public EigenpruneSettings Validate()
    {
        if (Matrices is null || Matrices.Count == 0) throw new ArgumentException("Matrices must name at least one matrix kind (e.g. WeightKind.Key).", nameof(Matrices));
        if (Layers is { Count: 0 }) throw new ArgumentException("Layers must list at least one layer, or be null for all.", nameof(Layers));
        PruningSelection.Validate(Fraction, Count, Threshold);
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        return this;
    }

    /// <summary>A short description of the matrices, e.g. "k (all layers, per head)".</summary>
    public string DescribeMatrices() =>
        $"{string.Join(",", Matrices.Select(MatrixKinds.NameOf))} ({(Layers is null ? "all layers" : "layers " + string.Join(",", Layers))}{(PerHead ? ", per head" : "")})";
}
