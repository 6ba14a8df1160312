using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Hooks;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;

namespace LLMML.Eigenpruning.Transforms;

/// <summary>
/// Settings of <c>mlContext.Llm().Eigenprune(...)</c>. The pruning settings (which matrices, how singular values are
/// scored, chosen and removed) come on top of the answer-scoring settings the fitted transformer scores rows with
/// (<see cref="ScoreAnswersOptions"/>: model, columns, closed answer set, terminator, generation).
/// </summary>
/// <remarks>
/// The loss each training row contributes is the negative log-likelihood of " " + answer + <see cref="ScoreAnswersOptions.AnswerTerminator"/>
/// after its prompt, the same continuation the transformer scores. With <see cref="SingleTokenAnswers"/> (the paper's
/// setting) every such continuation must be one token, and the loss is the cross-entropy at the prompt's last position.
/// </remarks>
public sealed class EigenpruneOptions : ScoreAnswersOptions
{
    /// <summary>Matrix kinds decomposed (default: attention keys, the paper's default).</summary>
    public IReadOnlyList<WeightKind> Matrices { get; set; } = [WeightKind.Key];

    /// <summary>Blocks whose matrices are decomposed; null = all.</summary>
    public IReadOnlyList<int>? Layers { get; set; }

    /// <summary>Decompose attention matrices per head (the paper); off = one SVD per whole projection. MLP matrices have no heads.</summary>
    public bool PerHead { get; set; } = true;

    /// <summary>Prune this share of the lowest-scored singular values, in (0, 1). When Fraction, Count and Threshold are all null, 0.2.</summary>
    public double? Fraction { get; set; }

    /// <summary>Prune this many lowest-scored singular values (instead of a fraction).</summary>
    public int? Count { get; set; }

    /// <summary>Prune every singular value scored below this (instead of a fraction).</summary>
    public double? Threshold { get; set; }

    /// <summary>How per-example, per-position effects become one score (default: the maximum, as in the paper).</summary>
    public EffectReduction Reduction { get; set; } = EffectReduction.Max;

    /// <summary>The quantile taken by <see cref="EffectReduction.Quantile"/>, in [0, 1].</summary>
    public double Quantile { get; set; } = 0.9;

    /// <summary>Leave (example, position) pairs with Δx = 0 out of the reduction (off = the paper; see <see cref="EigenpruneSettings.ExcludeUnchangedPositions"/>).</summary>
    public bool ExcludeUnchangedPositions { get; set; }

    /// <summary>How each training example's corrupted partner is chosen (default: a seeded cycle).</summary>
    public Corruption Corruption { get; set; } = Corruption.Cycle;

    /// <summary>
    /// For <see cref="Corruption.Counterfactual"/>: two strings swapped in each training prompt to make its counterfactual,
    /// e.g. ["mul:", "add:"] (the first occurrence of either is replaced by the other). A prompt with neither throws naming the row.
    /// </summary>
    public IReadOnlyList<string>? CounterfactualSwap { get; set; }

    /// <summary>Linear estimate (the paper) or exact ablation of each singular value.</summary>
    public Scorer Scorer { get; set; } = Scorer.Linear;

    /// <summary>Training examples each exact ablation is measured on.</summary>
    public int ExactExamples { get; set; } = 200;

    /// <summary>The exact scorer refuses more singular values than this.</summary>
    public int ExactBudget { get; set; } = 4096;

    /// <summary>Counts to choose from on held-out training examples (instead of Fraction / Count / Threshold).</summary>
    public IReadOnlyList<int>? ValidateCounts { get; set; }

    /// <summary>Share of the training rows held out to choose the count.</summary>
    public double ValidationFraction { get; set; } = 0.25;

    /// <summary>What replaces a removed direction (default: its mean over the training tokens, folded into the bias).</summary>
    public Ablation Ablation { get; set; } = Ablation.Mean;

    /// <summary>Score on at most the first this many training rows; null = all.</summary>
    public int? MaxExamples { get; set; }

    /// <summary>Seeds the pairing of each example with its corrupted partner.</summary>
    public int Seed { get; set; }

    /// <summary>Require every answer continuation to be one token (the paper's single-next-token setting); longer ones throw naming the row.</summary>
    public bool SingleTokenAnswers { get; set; }

    /// <summary>Options for <paramref name="task"/>: its closed answer set (for Score/PredictedLabel) when it has one.</summary>
    public static EigenpruneOptions ForTask(LlmTask task, string? modelDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new EigenpruneOptions { ModelDirectory = modelDirectory, AnswerSet = task.AnswerSet };
    }

    /// <summary>The pruning settings these options carry, for <see cref="Eigenpruner"/> and the baselines.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public EigenpruneSettings Settings => new()
    {
        Matrices = Matrices, Layers = Layers, PerHead = PerHead, Fraction = Fraction, Count = Count, Threshold = Threshold,
        Reduction = Reduction, Ablation = Ablation, Seed = Seed, BatchSize = BatchSize, Progress = Progress,
        Quantile = Quantile, ExcludeUnchangedPositions = ExcludeUnchangedPositions, Corruption = Corruption, Scorer = Scorer,
        ExactExamples = ExactExamples, ExactBudget = ExactBudget, ValidateCounts = ValidateCounts, ValidationFraction = ValidationFraction,
    };

    /// <summary>The counterfactual of <paramref name="prompt"/> (row <paramref name="row"/>) under <see cref="CounterfactualSwap"/>.</summary>
    public string Counterfactual(string prompt, int row)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (CounterfactualSwap is not [var a, var b]) throw new ArgumentException("Counterfactual corruption needs CounterfactualSwap = [from, to], e.g. [\"mul:\", \"add:\"].", nameof(CounterfactualSwap));
        int ia = prompt.IndexOf(a, StringComparison.Ordinal), ib = prompt.IndexOf(b, StringComparison.Ordinal);
        if (ia < 0 && ib < 0) throw new ArgumentException($"Row {row}: the prompt '{prompt}' contains neither '{a}' nor '{b}', so it has no counterfactual.", nameof(prompt));
        return ia >= 0 && (ib < 0 || ia <= ib)
            ? string.Concat(prompt.AsSpan(0, ia), b, prompt.AsSpan(ia + a.Length))
            : string.Concat(prompt.AsSpan(0, ib), a, prompt.AsSpan(ib + b.Length));
    }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Settings.Validate();
        if (MaxExamples is < 2) throw new ArgumentOutOfRangeException(nameof(MaxExamples), MaxExamples, "MaxExamples must be at least 2 (each example is compared with another).");
        if (Corruption == Corruption.Counterfactual && (CounterfactualSwap is not { Count: 2 } || CounterfactualSwap.Any(string.IsNullOrEmpty) || CounterfactualSwap[0] == CounterfactualSwap[1]))
            throw new ArgumentException("Counterfactual corruption needs CounterfactualSwap = two different non-empty strings, e.g. [\"mul:\", \"add:\"].", nameof(CounterfactualSwap));
        if (SingleTokenAnswers && AnswerTerminator.Length > 0)
            throw new ArgumentException($"SingleTokenAnswers scores the one answer token alone; set AnswerTerminator to \"\" (it is \"{AnswerTerminator.Replace("\n", "\\n")}\").", nameof(AnswerTerminator));
    }

    /// <summary>A copy (lists copied too) so a fitted transformer keeps the settings it was fitted with.</summary>
    public override EigenpruneOptions Clone()
    {
        var copy = (EigenpruneOptions)MemberwiseClone();
        copy.Matrices = Matrices.ToArray();
        copy.Layers = Layers?.ToArray();
        copy.CounterfactualSwap = CounterfactualSwap?.ToArray();
        copy.ValidateCounts = ValidateCounts?.ToArray();
        copy.AnswerSet = AnswerSet?.ToArray();
        return copy;
    }
}
