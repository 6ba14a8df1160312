using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Answers;

/// <summary>
/// Teacher-forced evaluation of a model on supervised examples: one forward pass per batch gives every answer's
/// log-likelihood and whether greedy decoding reproduces it. For single-token answers, <see cref="AnswerMetrics.Accuracy"/>
/// is the eigenpruning paper's accuracy (arg-max over the whole vocabulary equals the answer token); for longer
/// answers it is exact match of greedy generation.
/// </summary>
public static class AnswerEvaluator
{
    /// <summary>Scores <paramref name="examples"/> in batches of <paramref name="batchSize"/> (under no_grad, eval mode).</summary>
    /// <param name="continuesWord">
    /// Null, or per vocabulary id whether the token would extend a word: first-word exact match, where each example's
    /// last answer token is a placeholder for the word's end (see <see cref="AnswerObjective.Score"/>).
    /// </param>
    public static AnswerMetrics Evaluate(
        LanguageModel model, IReadOnlyList<PromptAnswerTokens> examples, int batchSize = 32,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default, string stage = "evaluate answers",
        IReadOnlyList<bool>? continuesWord = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (examples.Count == 0) throw new ArgumentException("There are no examples to evaluate.", nameof(examples));
        var lm = model.Model;
        using var mode = ModuleMode.Evaluation(lm);
        var scores = new AnswerScore[examples.Count];
        using var noGrad = no_grad();
        for (var start = 0; start < examples.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, examples.Count - start);
            var batch = AnswerBatch.For(model, Slice(examples, start, count));
            var logits = lm.forward(batch.InputIds, batch.AttentionMask, null);
            AnswerObjective.Score(logits, batch, continuesWord).CopyTo(scores, start);
            progress?.Report(new ProgressUpdate(stage, start + count, examples.Count));
        }
        return new AnswerMetrics(scores);
    }

    internal static PromptAnswerTokens[] Slice(IReadOnlyList<PromptAnswerTokens> examples, int start, int count)
    {
        var part = new PromptAnswerTokens[count];
        for (var i = 0; i < count; i++) part[i] = examples[start + i];
        return part;
    }
}

/// <summary>Teacher-forced scores of a set of examples.</summary>
/// <param name="Scores">One per example, in input order.</param>
public sealed record AnswerMetrics(IReadOnlyList<AnswerScore> Scores)
{
    /// <summary>Examples scored.</summary>
    public int Count => Scores.Count;

    /// <summary>Share of examples whose answer greedy decoding reproduces exactly.</summary>
    public double Accuracy => Scores.Count == 0 ? double.NaN : Scores.Count(s => s.Correct) / (double)Scores.Count;

    /// <summary>Mean answer log-likelihood per example (natural log).</summary>
    public double MeanLogLikelihood => Scores.Count == 0 ? double.NaN : Scores.Average(s => s.LogLikelihood);

    /// <summary>Σ −log₂ p over all answer tokens: the answers' code length in bits under the model.</summary>
    public double TotalBits => -Scores.Sum(s => s.LogLikelihood) / Math.Log(2);
}
