// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Answers;

/// <summary>
/// Teacher-forced quantities of an <see cref="AnswerBatch"/> from the logits of one forward pass: token
/// log-likelihoods, losses, and whether greedy decoding would reproduce each answer. Only the target columns are
/// pushed through log-softmax, so the cost does not grow with the vocabulary times the whole width.
/// </summary>
public static class AnswerObjective
{
    /// <summary>Log-probability of every target token, natural log.</summary>
    /// <param name="logits">[B, W, V] from a forward pass over <paramref name="batch"/>'s inputs and mask.</param>
    /// <returns>[B, W] float32, 0 where there is no target.</returns>
    public static Tensor TokenLogProbabilities(Tensor logits, AnswerBatch batch)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(batch);
        if (logits.dim() != 3 || logits.shape[0] != batch.Targets.shape[0] || logits.shape[1] != batch.Targets.shape[1])
            throw new ArgumentException($"Logits [{string.Join(", ", logits.shape)}] do not match the batch [{string.Join(", ", batch.Targets.shape)}, V].", nameof(logits));
        using var scope = NewDisposeScope();
        var vocabulary = logits.shape[2];
        var flatTargets = batch.Targets.reshape(-1);                                    // [B·W]
        var where = flatTargets.ne(AnswerBatch.Ignore).nonzero().squeeze(1);            // [N]
        var picked = logits.reshape(-1, vocabulary).index_select(0, where)
            .to_type(ScalarType.Float32).log_softmax(-1)
            .gather(1, flatTargets.index_select(0, where).unsqueeze(1)).squeeze(1);    // [N]
        var result = zeros(flatTargets.shape[0], dtype: ScalarType.Float32, device: logits.device).index_copy_(0, where, picked);
        return result.reshape(batch.Targets.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Mean negative log-likelihood per target token: the training loss.</summary>
    /// <returns>scalar</returns>
    public static Tensor MeanLoss(Tensor logits, AnswerBatch batch)
    {
        using var scope = NewDisposeScope();
        var count = batch.Targets.ne(AnswerBatch.Ignore).sum();
        return (-TokenLogProbabilities(logits, batch).sum() / count).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Σ over rows of each row's answer negative log-likelihood. Rows do not interact, so the gradient at a row's
    /// activations is that row's own gradient whatever the batch size (what per-example attributions need).
    /// </summary>
    /// <returns>scalar</returns>
    public static Tensor SummedLoss(Tensor logits, AnswerBatch batch)
    {
        using var scope = NewDisposeScope();
        return (-TokenLogProbabilities(logits, batch).sum()).MoveToOuterDisposeScope();
    }

    /// <summary>Per row: answer log-likelihood (natural log), answer tokens, and whether every answer token is the arg-max.</summary>
    /// <param name="logits">[B, W, V] from a forward pass over <paramref name="batch"/>'s inputs and mask.</param>
    /// <param name="continuesWord">
    /// Null, or per vocabulary id whether the token would extend a word: then each row's last answer token is a placeholder
    /// for "the word ends here" — the row is correct when every other answer token is the arg-max and the arg-max at the
    /// placeholder does not continue the word (so "15" is not counted right for a model that would say "150"); the
    /// placeholder is not part of the log-likelihood or the token count.
    /// </param>
    public static AnswerScore[] Score(Tensor logits, AnswerBatch batch, IReadOnlyList<bool>? continuesWord = null)
    {
        if (continuesWord is not null) return ScoreFirstWord(logits, batch, continuesWord);
        using var scope = NewDisposeScope();
        var hasTarget = batch.Targets.ne(AnswerBatch.Ignore);                                        // [B, W]
        var logLikelihood = TokenLogProbabilities(logits, batch).to_type(ScalarType.Float64).sum(1); // [B]
        var hit = logits.argmax(-1).eq(batch.Targets).logical_or(hasTarget.logical_not()).all(1);   // [B]
        var ll = logLikelihood.to(CPU).data<double>().ToArray();
        var ok = hit.to(CPU).data<bool>().ToArray();
        var tokens = hasTarget.sum(1).to(CPU).data<long>().ToArray();
        return Enumerable.Range(0, batch.Count).Select(i => new AnswerScore(ll[i], (int)tokens[i], ok[i])).ToArray();
    }

    private static AnswerScore[] ScoreFirstWord(Tensor logits, AnswerBatch batch, IReadOnlyList<bool> continuesWord)
    {
        using var scope = NewDisposeScope();
        var width = (int)batch.Targets.shape[1];
        var predicted = logits.argmax(-1).cpu().data<long>().ToArray();                                      // [B·W]
        var targets = batch.Targets.cpu().data<long>().ToArray();                                              // [B·W]
        var logProbs = TokenLogProbabilities(logits, batch).cpu().data<float>().ToArray();                     // [B·W]
        var scores = new AnswerScore[batch.Count];
        for (var r = 0; r < batch.Count; r++)
        {
            var at = r * width + batch.PromptWidth - 1;
            var words = batch.AnswerLengths[r] - 1;
            var ok = !continuesWord[(int)predicted[at + words]];
            var ll = 0.0;
            for (var j = 0; j < words; j++)
            {
                ok &= predicted[at + j] == targets[at + j];
                ll += logProbs[at + j];
            }
            scores[r] = new AnswerScore(ll, words, ok);
        }
        return scores;
    }
}

/// <summary>One row's teacher-forced score.</summary>
/// <param name="LogLikelihood">Σ log p(target token), natural log.</param>
/// <param name="TokenCount">Target tokens scored.</param>
/// <param name="Correct">Every target token is the arg-max of its distribution: greedy decoding reproduces the answer exactly.</param>
public readonly record struct AnswerScore(double LogLikelihood, int TokenCount, bool Correct);
