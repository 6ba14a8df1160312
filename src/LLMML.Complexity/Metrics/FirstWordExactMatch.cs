using System.Runtime.CompilerServices;
using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;
using Microsoft.ML.Tokenizers;

namespace LLMML.Complexity.Metrics;

/// <summary>
/// Exact match of greedy decoding's first word, teacher-forced in one forward pass per batch (<see cref="AnswerEvaluator"/>
/// with its word-end check): every token of
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
        var rows = test.Examples.Select((e, i) =>
        {
            var t = model.EncodeContinuation(promptPrefix + e.Prompt, TaskFormat.Continuation(e.Answer));
            if (t.Length > context)
                throw new InvalidOperationException($"Test row {i} needs {t.Length} positions with its prompt prefix; the model has {context}.");
            // One more target after the answer: the position whose arg-max must end the word.
            return new PromptAnswerTokens(t.Prompt, [.. t.Answer, end]);
        }).ToArray();
        var metrics = AnswerEvaluator.Evaluate(model, rows, BatchSize, progress, cancellationToken, stage, continues);
        return metrics.Accuracy;
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
