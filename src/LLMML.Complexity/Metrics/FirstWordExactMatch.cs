using System.Runtime.CompilerServices;
using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.MLNet.Tasks;
using Microsoft.ML.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Complexity.Metrics;

/// <summary>
/// Exact match of greedy decoding's first word, teacher-forced in one forward pass per batch (<see cref="AnswerEvaluator"/>
/// with its word-end check): every token of
/// " " + answer is the arg-max, and the arg-max after it ends the word (a token that does not start with a letter or
/// digit). The end check matters: without it a model that would say "150" counts as right for "15".
/// A prompt prefix shared by every row (a hand-written prompt, in-context examples) runs through the model once: its
/// keys and values are cached and repeated for each batch, so only the rows' own tokens are computed per batch.
/// </summary>
public sealed class FirstWordExactMatch : IComplexityMetric
{
    private static readonly ConditionalWeakTable<Tokenizer, bool[]> WordContinuations = new();

    /// <summary>Rows per forward pass.</summary>
    public int BatchSize { get; init; } = 256;

    public string Name => "exact-match";

    public double Minimum => 0;

    public double Maximum => 1;

    public double Score(LanguageModel model, string promptPrefix, EvaluationSet test, IProgress<ProgressUpdate>? progress, string stage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        if (test.Count == 0) throw new ArgumentException("There are no test rows to score.", nameof(test));
        var continues = WordContinuations.GetValue(model.Tokenizer, _ => ContinuationTokens(model));
        var end = model.EndOfSequenceIds.Count > 0 ? model.EndOfSequenceIds[0] : (int)model.PadId;
        var context = model.Config.MaxPositionEmbeddings;
        var rows = test.Examples.Select((e, i) =>
        {
            var t = model.EncodeContinuation(promptPrefix + e.Prompt, TaskFormat.Continuation(e.Answer));
            if (t.Length > context)
                throw new InvalidOperationException($"Test row {i} needs {t.Length} positions with its prompt prefix; the model has {context}.");
            // One more target after the answer: the position whose arg-max must end the word.
            return new PromptAnswerTokens(t.Prompt, [.. t.Answer, end]);
        }).ToArray();
        var shared = promptPrefix.Length == 0 ? [] : model.Encode(promptPrefix).ToArray();
        if (shared.Length > 0 && rows.All(r => r.Prompt.Length > shared.Length && r.Prompt.AsSpan(0, shared.Length).SequenceEqual(shared)))
            return WithSharedPrefix(model, shared, rows, continues, progress, stage, cancellationToken);
        var metrics = AnswerEvaluator.Evaluate(model, rows, BatchSize, progress, cancellationToken, stage, continues);
        return metrics.Accuracy;
    }

    /// <summary>
    /// The same scores with the prefix's keys and values computed once: each batch feeds only the rows' remaining tokens
    /// after the repeated cache. Positions count real tokens, so the left padding between prefix and row changes nothing.
    /// </summary>
    private double WithSharedPrefix(LanguageModel model, int[] prefix, PromptAnswerTokens[] rows, bool[] continues,
        IProgress<ProgressUpdate>? progress, string stage, CancellationToken cancellationToken)
    {
        var lm = model.Model;
        using var mode = ModuleMode.Evaluation(lm);
        using var noGrad = no_grad();
        using var cache = new KeyValueCache((int)model.Config.NumLayers);
        using (NewDisposeScope())
            lm.forward(tensor(prefix.Select(i => (long)i).ToArray(), [1, prefix.Length], device: model.Device), null, cache);
        var room = model.Config.MaxPositionEmbeddings - prefix.Length;
        var correct = 0;
        for (var start = 0; start < rows.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var count = Math.Min(BatchSize, rows.Length - start);
            var rest = rows.Skip(start).Take(count).Select(r => new PromptAnswerTokens(r.Prompt[prefix.Length..], r.Answer)).ToArray();
            using var batch = AnswerBatch.Create(rest, model.PadId, room, model.Device);
            using var repeated = cache.Repeat(zeros(count, dtype: ScalarType.Int64, device: model.Device));
            var logits = lm.forward(batch.InputIds, batch.AttentionMask, repeated);              // [B, W, V]
            correct += AnswerObjective.Score(logits, batch, continues).Count(s => s.Correct);
            progress?.Report(new ProgressUpdate(stage, start + count, rows.Length));
        }
        return correct / (double)rows.Length;
    }

    /// <summary>Per vocabulary id: whether its text starts with a letter or digit (so it would extend the answer's word).</summary>
    private static bool[] ContinuationTokens(LanguageModel model)
    {
        var size = (int)model.Config.VocabularySize;
        var result = new bool[size];
        for (var id = 0; id < size; id++)
        {
            string text;
            try { text = model.Decode([id]); }
            catch (ArgumentException) { text = ""; }
            result[id] = text.Length > 0 && char.IsLetterOrDigit(text[0]);
        }
        return result;
    }
}
