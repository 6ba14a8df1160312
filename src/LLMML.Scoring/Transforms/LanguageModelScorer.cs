using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Answers;

namespace LLMML.Scoring.Transforms;

/// <summary>
/// The torch side of answer scoring: tokenizes prompts and continuations the way
/// <see cref="LanguageModel.ContinuationLogProbabilities(IReadOnlyList{ValueTuple{string, string}}, int, CancellationToken)"/>
/// does, fits them into the model's context, and runs the LM core's <see cref="ContinuationScorer"/> and greedy decoding. One instance per
/// transformer; calls are serialized because cursors may run batches concurrently on one model.
/// </summary>
internal sealed class LanguageModelScorer(LanguageModel model, ScoreAnswersOptions options)
{
    private readonly object _gate = new();

    public LanguageModel Model { get; } = model;

    /// <summary>Log-likelihood and token count of every continuation after every prompt.</summary>
    public (double LogLikelihood, int TokenCount)[][] Score(IReadOnlyList<string> prompts, IReadOnlyList<IReadOnlyList<string>> continuations, long firstRow)
    {
        var items = new PromptContinuations[prompts.Count];
        for (var i = 0; i < prompts.Count; i++) items[i] = Tokenize(prompts[i], continuations[i], firstRow + i);
        var settings = new ContinuationScoring { PadId = Model.PadId, MaxValuesPerForward = options.MaxLogitsPerForward, SharePromptCache = options.SharePromptCache };
        lock (_gate) return ContinuationScorer.Score(Model.Model, items, settings, options.CancellationToken);
    }

    /// <summary>Greedy completions (text after the prompt), as <see cref="LanguageModel.Generate(IReadOnlyList{string}, GenerationOptions, CancellationToken)"/> with no stop strings.</summary>
    public string[] Generate(IReadOnlyList<string> prompts, long firstRow)
    {
        var room = Model.Config.MaxPositionEmbeddings - options.MaxNewTokens;
        var encoded = new IReadOnlyList<int>[prompts.Count];
        for (var i = 0; i < prompts.Count; i++) encoded[i] = Fit(Model.EncodePrompt(prompts[i]), room, firstRow + i, $"{options.MaxNewTokens} generated tokens");
        var generation = new GenerationOptions { MaxNewTokens = options.MaxNewTokens, StopTokenIds = Model.EndOfSequenceIds };
        TokenGenerator.StopCondition? stop = options.StopAfterFirstWord ? (_, generated) => FirstWordComplete(Model.Decode(generated)) : null;
        lock (_gate)
        {
            var ids = TokenGenerator.Generate(Model.Model, encoded, generation, Model.PadId, stop, options.CancellationToken);
            return ids.Select(g => Model.Decode(g)).ToArray();
        }
    }

    private PromptContinuations Tokenize(string prompt, IReadOnlyList<string> continuations, long row)
    {
        var (promptIds, continuationIds) = Model.EncodeContinuations(prompt, continuations);
        for (var k = 0; k < continuations.Count; k++)
            if (continuationIds[k].Length == 0)
                throw new ArgumentException($"Row {row}: the continuation '{continuations[k]}' encodes to no tokens.");
        var longest = continuationIds.Length == 0 ? 0 : continuationIds.Max(c => c.Length);
        var fitted = Fit(promptIds, Model.Config.MaxPositionEmbeddings - longest, row, $"a {longest}-token continuation");
        return new PromptContinuations(fitted, continuationIds);
    }

    private int[] Fit(IReadOnlyList<int> prompt, long room, long row, string what)
    {
        if (prompt.Count <= room) return prompt as int[] ?? prompt.ToArray();
        if (!options.TruncateLongPrompts || room < 1)
            throw new ArgumentException(
                $"Row {row}: the prompt has {prompt.Count} tokens, and with {what} that exceeds the model's {Model.Config.MaxPositionEmbeddings} positions" +
                (options.TruncateLongPrompts ? "." : " (set TruncateLongPrompts to keep the end of long prompts)."));
        return prompt.Skip(prompt.Count - (int)room).ToArray();
    }

    /// <summary>Whether the text holds a word followed by whitespace (what exact matching reads is then fixed).</summary>
    internal static bool FirstWordComplete(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        foreach (var c in trimmed)
            if (char.IsWhiteSpace(c)) return true;
        return false;
    }
}
