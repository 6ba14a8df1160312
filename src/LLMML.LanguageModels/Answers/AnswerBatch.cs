// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Answers;

/// <summary>
/// A padded batch of <see cref="PromptAnswerTokens"/> for teacher-forced passes. Prompts are left-padded to a common
/// width P and answers right-padded after them, so every prompt ends at column P − 1 and answer token j sits at
/// column P + j in every row. Rows of two batches built from different examples are therefore aligned token by
/// token at the prompt end — what activation patching between a clean and a corrupted example needs. The last
/// answer token is never an input, so the width is P + A − 1 for a longest answer of A tokens.
/// </summary>
public sealed class AnswerBatch : IDisposable
{
    /// <summary>The ignore value in <see cref="Targets"/> (also cross_entropy's default ignore_index).</summary>
    public const long Ignore = -100;

    private AnswerBatch(Tensor inputIds, Tensor attentionMask, Tensor targets, int promptWidth, int[] answerLengths)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        Targets = targets;
        PromptWidth = promptWidth;
        AnswerLengths = answerLengths;
    }

    /// <summary>[B, W] int64 token ids (padding holds the pad id).</summary>
    public Tensor InputIds { get; }

    /// <summary>[B, W] int64, 1 = real token, 0 = padding.</summary>
    public Tensor AttentionMask { get; }

    /// <summary>[B, W] int64: the token the logits at each column must predict, or <see cref="Ignore"/>.</summary>
    public Tensor Targets { get; }

    /// <summary>P: the column after the last prompt token (the first answer token's column).</summary>
    public int PromptWidth { get; }

    /// <summary>Tokens in each row's answer.</summary>
    public IReadOnlyList<int> AnswerLengths { get; }

    /// <summary>Rows.</summary>
    public int Count => AnswerLengths.Count;

    /// <summary>Builds the batch on <paramref name="device"/>.</summary>
    /// <param name="examples">The rows (at least one).</param>
    /// <param name="padId">Id written into padding (masked out, so any valid id works).</param>
    /// <param name="maxLength">The model's context: rows longer than this keep the end of their prompt (at least one prompt token); a longer answer throws.</param>
    /// <param name="includePromptTargets">Also predict prompt tokens after the first (whole-text likelihood), not only the answer.</param>
    public static AnswerBatch Create(IReadOnlyList<PromptAnswerTokens> examples, long padId, long maxLength, Device device, bool includePromptTargets = false)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("An answer batch needs at least one example.", nameof(examples));
        var fitted = new (int[] Prompt, int[] Answer)[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            var (prompt, answer) = (examples[i].Prompt, examples[i].Answer);
            if (prompt.Length == 0) throw new ArgumentException($"Example {i} has an empty prompt; start it with at least a BOS token.", nameof(examples));
            if (answer.Length == 0) throw new ArgumentException($"Example {i} has an empty answer.", nameof(examples));
            if (answer.Length >= maxLength)
                throw new ArgumentException($"Example {i}: its answer has {answer.Length} tokens, which leaves no room for a prompt in the model's {maxLength} positions.", nameof(examples));
            // The last answer token is not an input, so prompt + answer − 1 tokens must fit.
            var room = (int)Math.Min(int.MaxValue, maxLength - answer.Length + 1);
            fitted[i] = (prompt.Length <= room ? prompt : prompt[^room..], answer);
        }

        var promptWidth = fitted.Max(f => f.Prompt.Length);
        var answerWidth = fitted.Max(f => f.Answer.Length);
        var width = promptWidth + answerWidth - 1;
        var count = fitted.Length;
        var ids = new long[count * width];
        var mask = new long[count * width];
        var targets = new long[count * width];
        Array.Fill(ids, padId);
        Array.Fill(targets, Ignore);
        for (var r = 0; r < count; r++)
        {
            var (prompt, answer) = fitted[r];
            var row = r * width;
            var start = promptWidth - prompt.Length;
            for (var t = 0; t < prompt.Length; t++)
            {
                ids[row + start + t] = prompt[t];
                mask[row + start + t] = 1;
                if (includePromptTargets && t > 0) targets[row + start + t - 1] = prompt[t];
            }
            for (var j = 0; j < answer.Length; j++)
            {
                // logits at column P − 1 + j predict answer token j
                targets[row + promptWidth - 1 + j] = answer[j];
                if (j < answer.Length - 1)
                {
                    ids[row + promptWidth + j] = answer[j];
                    mask[row + promptWidth + j] = 1;
                }
            }
        }
        return new AnswerBatch(
            tensor(ids, [count, width], device: device),
            tensor(mask, [count, width], device: device),
            tensor(targets, [count, width], device: device),
            promptWidth,
            fitted.Select(f => f.Answer.Length).ToArray());
    }

    /// <summary>Builds the batch for <paramref name="model"/>: its pad id, its context length and its device.</summary>
    /// <param name="examples">The rows (at least one).</param>
    /// <param name="includePromptTargets">Also predict prompt tokens after the first (whole-text likelihood), not only the answer.</param>
    public static AnswerBatch For(Generation.LanguageModel model, IReadOnlyList<PromptAnswerTokens> examples, bool includePromptTargets = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Create(examples, model.PadId, model.Config.MaxPositionEmbeddings, model.Device, includePromptTargets);
    }

    /// <summary>Moves the batch's tensors out of the current dispose scope (they are then the caller's to dispose).</summary>
    public AnswerBatch DetachFromDisposeScope()
    {
        InputIds.DetachFromDisposeScope();
        AttentionMask.DetachFromDisposeScope();
        Targets.DetachFromDisposeScope();
        return this;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        Targets.Dispose();
    }
}
