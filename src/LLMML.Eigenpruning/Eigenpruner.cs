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
    /// <exception cref="ArgumentException">Fewer than two distinct examples, or a bad setting.</exception>
    /// <exception cref="InvalidOperationException">A score is not finite, or mean ablation of a projection without a bias.</exception>
    public static EigenpruneReport Prune(LanguageModel model, IReadOnlyList<PromptAnswerTokens> examples, EigenpruneSettings settings, CancellationToken cancellationToken = default)
    {
        using var scores = Score(model, examples, settings, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return scores.Prune(model, settings.Ablation, settings.Fraction, settings.Count, settings.Threshold);
    }

    /// <summary>
    /// Decomposes the selected matrices of <paramref name="model"/> and scores every singular value on
    /// <paramref name="examples"/>, without changing the model; <see cref="SingularValueScores.Prune"/> then removes a
    /// selection from it or from copies of it.
    /// </summary>
    public static SingularValueScores Score(LanguageModel model, IReadOnlyList<PromptAnswerTokens> examples, EigenpruneSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(settings);
        var options = settings.Validate();
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
            var corrupt = CorruptionPairs.Build(examples, options.Seed);
            var attribution = SingularValueAttribution.Run(model, decompositions, examples, corrupt, options.BatchSize, options.Reduction,
                options.Progress, cancellationToken);
            return new SingularValueScores(decompositions, weights.ToArray(), attribution, clock.Elapsed.TotalSeconds);
        }
        catch
        {
            foreach (var d in decompositions) d.Dispose();
            foreach (var w in weights) w.Dispose();
            throw;
        }
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
