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
/// Exact match of greedy decoding's first word, teacher-forced in one forward pass per batch: every token of
/// " " + answer is the arg-max, and the arg-max after it ends the word (a token that does not start with a letter or
/// digit). The end check matters: without it a model that would say "150" counts as right for "15".
/// </summary>
public sealed class FirstWordExactMatch : IComplexityMetric
{
    private static readonly ConditionalWeakTable<Tokenizer, bool[]> WordContinuations = new();

    /// <summary>Rows per forward pass.</summary>
    public int BatchSize { get; init; } = 64;

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
        var lm = model.Model;
        using var mode = ModuleMode.Evaluation(lm);
        var correct = 0;
        using var noGrad = no_grad();
        for (var start = 0; start < test.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var rows = test.Examples.Skip(start).Take(BatchSize).Select((e, i) =>
            {
                var t = model.EncodeContinuation(promptPrefix + e.Prompt, TaskFormat.Continuation(e.Answer));
                if (t.Length > context)
                    throw new InvalidOperationException($"Test row {start + i} needs {t.Length} positions with its prompt prefix; the model has {context}.");
                // One more target after the answer: the position whose arg-max must end the word.
                return new PromptAnswerTokens(t.Prompt, [.. t.Answer, end]);
            }).ToArray();
            var batch = AnswerBatch.Create(rows, model.PadId, context, model.Device);
            var predicted = lm.forward(batch.InputIds, batch.AttentionMask, null).argmax(-1).cpu().data<long>().ToArray();   // [B·W]
            var width = (int)batch.InputIds.shape[1];
            for (var r = 0; r < rows.Length; r++)
            {
                var answer = rows[r].Answer;
                var at = r * width + batch.PromptWidth - 1;
                var ok = !continues[predicted[at + answer.Length - 1]];
                for (var j = 0; ok && j < answer.Length - 1; j++) ok = predicted[at + j] == answer[j];
                if (ok) correct++;
            }
            progress?.Report(new ProgressUpdate(stage, start + rows.Length, test.Count));
        }
        return correct / (double)test.Count;
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
