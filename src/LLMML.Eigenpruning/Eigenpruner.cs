using System.Diagnostics;
using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Transforms;
using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using static TorchSharp.torch;
using LLMML.MLNet.Tasks;

namespace LLMML.Eigenpruning;

/// <summary>
/// Eigenpruning without ML.NET (<see cref="EigenpruneSettings"/>): decompose the selected matrices, score every singular value on the training examples,
/// choose the lowest-scored ones and remove them from the model's weights. The estimator and the baselines' comparison
/// both run this.
/// </summary>
public static class Eigenpruner
{
    /// <summary>Prunes <paramref name="model"/> in place and reports what was removed.</summary>
    /// <param name="counterfactuals">Per example, its counterfactual (required by <see cref="Corruption.Counterfactual"/>, ignored otherwise).</param>
    /// <exception cref="ArgumentException">Fewer than two distinct examples, or a bad setting.</exception>
    /// <exception cref="InvalidOperationException">A score is not finite, or mean ablation of a projection without a bias.</exception>
    public static EigenpruneReport Prune(LanguageModel model, IReadOnlyList<PromptAnswerTokens> examples, EigenpruneSettings settings, CancellationToken cancellationToken = default,
        IReadOnlyList<PromptAnswerTokens>? counterfactuals = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Validate().ValidateCounts is { } counts) return PruneValidated(model, examples, settings, counts, counterfactuals, cancellationToken);
        using var scores = Score(model, examples, settings, cancellationToken, counterfactuals);
        cancellationToken.ThrowIfCancellationRequested();
        return scores.Prune(model, settings.Ablation, settings.Fraction, settings.Count, settings.Threshold);
    }

    /// <summary>
    /// Scores on the training examples minus a held-out share, prunes each candidate count (and 0) from a copy, and
    /// prunes <paramref name="model"/> with the count that scores best on the held-out examples.
    /// </summary>
    private static EigenpruneReport PruneValidated(LanguageModel model, IReadOnlyList<PromptAnswerTokens> examples, EigenpruneSettings settings,
        IReadOnlyList<int> counts, IReadOnlyList<PromptAnswerTokens>? counterfactuals, CancellationToken cancellationToken)
    {
        var (fit, heldOut) = ValidationSplit(examples.Count, settings);
        using var scores = Score(model, fit.Select(i => examples[i]).ToArray(), settings, cancellationToken, counterfactuals is null ? null : fit.Select(i => counterfactuals[i]).ToArray());
        var points = Validate(scores, model, heldOut.Select(i => examples[i]).ToArray(), settings, counts, cancellationToken);
        return scores.Prune(model, settings.Ablation, count: Best(points).Count) with { Validation = points };
    }

    /// <summary>Seeded split of <paramref name="count"/> examples into the indexes scored and the indexes held out (ValidationFraction, at least one each side, two scored).</summary>
    public static (int[] Fit, int[] HeldOut) ValidationSplit(int count, EigenpruneSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (count < 3)
            throw new ArgumentException($"Validated selection holds out examples and scores on at least two others; got {count} examples.", nameof(count));
        var order = Enumerable.Range(0, count).ToArray();
        new Random(settings.Seed + 1).Shuffle(order);
        var held = Math.Clamp((int)Math.Round(settings.ValidationFraction * count), 1, count - 2);
        return (order.Skip(held).Order().ToArray(), order.Take(held).Order().ToArray());
    }

    /// <summary>Held-out accuracy and log-likelihood after pruning each of <paramref name="counts"/> (and 0) lowest-scored values from a copy of <paramref name="model"/>.</summary>
    public static IReadOnlyList<ValidationPoint> Validate(SingularValueScores scores, LanguageModel model, IReadOnlyList<PromptAnswerTokens> heldOut,
        EigenpruneSettings settings, IReadOnlyList<int> counts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(counts);
        var points = new List<ValidationPoint>();
        foreach (var k in counts.Append(0).Distinct().Where(k => k <= scores.Count).Order())
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var copy = model.Clone();
            scores.Prune(copy, settings.Ablation, count: k);
            var metrics = AnswerEvaluator.Evaluate(copy, heldOut, Math.Max(settings.BatchSize, 32), settings.Progress, cancellationToken, $"validate k = {k}");
            points.Add(new ValidationPoint(k, metrics.Accuracy, metrics.MeanLogLikelihood));
        }
        return points;
    }

    /// <summary>Best held-out accuracy, then log-likelihood; ties go to the smaller count (fewer edits).</summary>
    public static ValidationPoint Best(IReadOnlyList<ValidationPoint> points) =>
        points.OrderByDescending(p => p.Accuracy).ThenByDescending(p => p.MeanLogLikelihood).ThenBy(p => p.Count).First();

    /// <summary>
    /// Decomposes the selected matrices of <paramref name="model"/> and scores every singular value on
    /// <paramref name="examples"/>, without changing the model; <see cref="SingularValueScores.Prune"/> then removes a
    /// selection from it or from copies of it.
    /// </summary>
    /// <param name="counterfactuals">Per example, its counterfactual (required by <see cref="Corruption.Counterfactual"/>, ignored otherwise).</param>
    public static SingularValueScores Score(LanguageModel model, IReadOnlyList<PromptAnswerTokens> examples, EigenpruneSettings settings, CancellationToken cancellationToken = default,
        IReadOnlyList<PromptAnswerTokens>? counterfactuals = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(settings);
        var options = settings.Validate();
        if (examples.Count == 0) throw new ArgumentException("Eigenpruning needs training examples, but there are none.", nameof(examples));
        var partners = Partners(examples, options, counterfactuals);
        var clock = Stopwatch.StartNew();
        var ids = MatrixSelection.Resolve(model.Config, options.Matrices, options.Layers);
        var decompositions = new List<ProjectionDecomposition>();
        var weights = new List<Tensor>();
        try
        {
            foreach (var id in ids)
            {
                decompositions.Add(ProjectionDecomposition.Compute(model.Model, id, options.PerHead));
                using var w = ModelWeights.Get(model.Model, id.Layer, id.Kind);
                weights.Add(w.Weight.clone());
            }
            var attribution = options.Scorer == Scorer.Exact
                ? ExactAblation.Run(model, decompositions, examples, options, cancellationToken)
                : SingularValueAttribution.Run(model, decompositions, examples, partners, options, cancellationToken);
            return new SingularValueScores(decompositions, weights.ToArray(), attribution, clock.Elapsed.TotalSeconds);
        }
        catch
        {
            foreach (var d in decompositions) d.Dispose();
            foreach (var w in weights) w.Dispose();
            throw;
        }
    }

    private static IReadOnlyList<PromptAnswerTokens> Partners(IReadOnlyList<PromptAnswerTokens> examples, EigenpruneSettings options, IReadOnlyList<PromptAnswerTokens>? counterfactuals)
    {
        if (options.Corruption != Corruption.Counterfactual)
        {
            if (options.Scorer == Scorer.Exact && examples.Count >= 1) return examples;   // the exact scorer needs no partners
            return CorruptionPairs.Build(examples, options.Corruption, options.Seed, options.BatchSize).Select(i => examples[i]).ToArray();
        }
        if (counterfactuals is null)
            throw new ArgumentException("Corruption.Counterfactual needs one counterfactual per example (e.g. the cue-flipped prompt); none were given.", nameof(counterfactuals));
        if (counterfactuals.Count != examples.Count)
            throw new ArgumentException($"{examples.Count} examples but {counterfactuals.Count} counterfactuals; give one per example.", nameof(counterfactuals));
        return counterfactuals;
    }

    /// <summary>
    /// Encodes task rows as the examples eigenpruning scores and is evaluated on: prompt → " " + answer + terminator.
    /// Empty data, and answers of more than one token under <see cref="EigenpruneOptions.SingleTokenAnswers"/>, throw
    /// naming the row.
    /// </summary>
    public static PromptAnswerTokens[] Encode(LanguageModel model, IReadOnlyList<TaskExample> rows, EigenpruneOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        if (rows.Count == 0) throw new ArgumentException("Eigenpruning needs training rows, but the data has none.", nameof(rows));
        var examples = new PromptAnswerTokens[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var continuation = TaskFormat.Continuation(rows[i].Answer) + options.AnswerTerminator;
            examples[i] = model.EncodeContinuation(rows[i].Prompt, continuation);
            if (examples[i].Answer.Length == 0)
                throw new ArgumentException($"Row {i}: the answer '{rows[i].Answer}' encodes to no tokens.", nameof(rows));
            if (options.SingleTokenAnswers && examples[i].Answer.Length != 1)
                throw new ArgumentException(
                    $"Row {i}: the answer continuation '{continuation}' is {examples[i].Answer.Length} tokens [{string.Join(", ", examples[i].Answer)}], " +
                    "but SingleTokenAnswers scores one answer token. Use a task whose answers are single tokens, or turn SingleTokenAnswers off.", nameof(rows));
        }
        return examples;
    }
}
