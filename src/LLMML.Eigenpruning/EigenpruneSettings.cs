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

    /// <summary>The quantile taken by <see cref="EffectReduction.Quantile"/>, in [0, 1].</summary>
    public double Quantile { get; init; } = 0.9;

    /// <summary>
    /// Leave out of the reduction the (example, position) pairs where a projection's Δx is exactly 0 (shared prefixes),
    /// where every effect is 0 by construction and would pin the maximum at ≥ 0. Off = the paper.
    /// </summary>
    public bool ExcludeUnchangedPositions { get; init; }

    /// <summary>How each clean example's corrupted partner is chosen (default: a seeded cycle).</summary>
    public Corruption Corruption { get; init; } = Corruption.Cycle;

    /// <summary>Linear estimate (the paper) or exact ablation of each singular value.</summary>
    public Scorer Scorer { get; init; } = Scorer.Linear;

    /// <summary>Training examples (the first ones) each exact ablation is measured on.</summary>
    public int ExactExamples { get; init; } = 200;

    /// <summary>The exact scorer refuses more singular values than this (one forward pass over <see cref="ExactExamples"/> each).</summary>
    public int ExactBudget { get; init; } = 4096;

    /// <summary>
    /// Choose the count by validation instead of fixing it: score on the training examples minus a held-out
    /// <see cref="ValidationFraction"/>, prune each of these counts (and 0) from a copy, keep the count with the best
    /// held-out accuracy (then answer log-likelihood). Excludes Fraction, Count and Threshold.
    /// </summary>
    public IReadOnlyList<int>? ValidateCounts { get; init; }

    /// <summary>Share of the training examples held out to choose the count (<see cref="ValidateCounts"/>).</summary>
    public double ValidationFraction { get; init; } = 0.25;

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
        if (ValidateCounts is not null)
        {
            if (Fraction is not null || Count is not null || Threshold is not null)
                throw new ArgumentException("ValidateCounts chooses the count itself; leave Fraction, Count and Threshold unset.", nameof(ValidateCounts));
            if (ValidateCounts.Count == 0 || ValidateCounts.Any(k => k < 0))
                throw new ArgumentException($"ValidateCounts must list counts ≥ 0 to try (got [{string.Join(", ", ValidateCounts)}]).", nameof(ValidateCounts));
            if (!(ValidationFraction > 0 && ValidationFraction < 1))
                throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must lie strictly between 0 and 1.");
        }
        if (!(Quantile >= 0 && Quantile <= 1)) throw new ArgumentOutOfRangeException(nameof(Quantile), Quantile, "Quantile must lie in [0, 1].");
        if (ExactExamples < 1) throw new ArgumentOutOfRangeException(nameof(ExactExamples), ExactExamples, "ExactExamples must be at least 1.");
        if (ExactBudget < 1) throw new ArgumentOutOfRangeException(nameof(ExactBudget), ExactBudget, "ExactBudget must be at least 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        return this;
    }

    /// <summary>
    /// The released code's behaviour (tvergara/eigenpruning at its defaults): keys only, batch size 1 with the batch
    /// rolled by one as the corruption — so Δx ≡ 0, every score is exactly 0 and the stable sort prunes the first 20%
    /// in enumeration order (layer, head, index) — max reduction, mean ablation. Because Δx is 0 wherever it is
    /// tapped, its pre-LayerNorm tap needs no separate emulation here.
    /// </summary>
    public static EigenpruneSettings PaperCompatible(int seed = 0) => new()
    {
        Matrices = [WeightKind.Key], PerHead = true, Fraction = PruningSelection.DefaultFraction, Reduction = EffectReduction.Max,
        Ablation = Ablation.Mean, Corruption = Corruption.BatchRoll, BatchSize = 1, Seed = seed,
    };

    /// <summary>"linear, max, cycle" or "exact (200 examples)": how the scores were made.</summary>
    public string DescribeScoring() => Scorer == Scorer.Exact
        ? $"exact ablation ({ExactExamples} examples)"
        : $"linear, {(Reduction == EffectReduction.Quantile ? $"q{Quantile:0.##}" : Reduction.ToString().ToLowerInvariant())}, {Corruption}{(ExcludeUnchangedPositions ? ", Δx=0 excluded" : "")}";

    /// <summary>A short description of the matrices, e.g. "k (all layers, per head)".</summary>
    public string DescribeMatrices() =>
        $"{string.Join(",", Matrices.Select(MatrixKinds.NameOf))} ({(Layers is null ? "all layers" : "layers " + string.Join(",", Layers))}{(PerHead ? ", per head" : "")})";
}
