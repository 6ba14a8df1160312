using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Answers;

/// <summary>
/// Supervised fine-tuning on prompt → answer examples with the answer-only loss (mean negative log-likelihood of the
/// answer tokens), through the library's one <see cref="TrainingLoop"/>. What is trained is whatever requires
/// gradients in <c>trainable</c>: the whole model, LoRA adapters, or a separate module of parameters the model's
/// forward pass reads (e.g. singular-value shifts installed as hooks).
/// </summary>
public static class AnswerFineTuning
{
    /// <summary>
    /// Trains for <see cref="TrainingOptions.MaxSteps"/> steps on batches of <paramref name="batchSize"/> examples drawn
    /// without replacement from <see cref="TrainingStep.Seed"/> (so a resumed run sees the same batches).
    /// </summary>
    /// <param name="trainable">Module whose requires_grad parameters are optimised; default the model itself.</param>
    public static TrainingResult Train(
        LanguageModel model, IReadOnlyList<PromptAnswerTokens> examples, TrainingOptions options, int batchSize,
        nn.Module? trainable = null, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (examples.Count == 0) throw new ArgumentException("There are no examples to train on.", nameof(examples));
        var size = Math.Min(batchSize, examples.Count);
        return new TrainingLoop().Run(trainable ?? model.Model,
            step => Loss(model, Sample(examples, size, new Random(step.Seed))),
            options, progress, cancellationToken);
    }

    /// <summary>The answer-only training loss of <paramref name="examples"/> (mean NLL per answer token), with gradients.</summary>
    /// <returns>scalar</returns>
    public static Tensor Loss(LanguageModel model, IReadOnlyList<PromptAnswerTokens> examples)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var batch = AnswerBatch.For(model, examples);
        var logits = model.Model.forward(batch.InputIds, batch.AttentionMask, null);
        return AnswerObjective.MeanLoss(logits, batch).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="count"/> distinct examples chosen uniformly (partial Fisher–Yates).</summary>
    internal static PromptAnswerTokens[] Sample(IReadOnlyList<PromptAnswerTokens> examples, int count, Random random)
    {
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var picked = new PromptAnswerTokens[count];
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, order.Length);
            (order[i], order[j]) = (order[j], order[i]);
            picked[i] = examples[order[i]];
        }
        return picked;
    }
}
