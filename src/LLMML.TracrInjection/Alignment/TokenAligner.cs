using LLMML.Rasp.Language;

namespace LLMML.TracrInjection.Alignment;

/// <summary>One LM sequence (prompt + continuation) and its compiled input, position by position.</summary>
/// <param name="TokenIds">LM token ids of prompt then continuation (no padding).</param>
/// <param name="PromptLength">How many of them are the prompt.</param>
/// <param name="CompiledInput">The compiled token at every LM position (same length; the compiled BOS is not included:
/// LM position t ↔ compiled position t + 1).</param>
/// <param name="TriggerPosition">The position holding the trigger (its next token is the answer's first visible token).</param>
/// <param name="TokenTexts">Each token's text.</param>
public sealed record AlignedSequence(int[] TokenIds, int PromptLength, RaspValue[] CompiledInput, int TriggerPosition, string[] TokenTexts)
{
    /// <summary>Positions whose next token is a continuation token: the cross-entropy targets, counted in tokens.</summary>
    public IEnumerable<int> AnswerPositions => Enumerable.Range(PromptLength - 1, TokenIds.Length - PromptLength);
}

/// <summary>Applies an <see cref="AlignmentSpec"/> to token ids, reading each token's text through <paramref name="tokenText"/>.</summary>
public sealed class TokenAligner(AlignmentSpec spec, Func<int, string> tokenText)
{
    public AlignmentSpec Spec { get; } = spec ?? throw new ArgumentNullException(nameof(spec));

    /// <summary>
    /// Aligns prompt + continuation. The trigger goes to the position before the continuation's first token that is not
    /// whitespace (the last position when the continuation is only whitespace, e.g. the separator " " when decoding a prompt).
    /// </summary>
    /// <exception cref="ArgumentException">The prompt is empty (no position can hold the trigger).</exception>
    public AlignedSequence Align(IReadOnlyList<int> promptIds, IReadOnlyList<int> continuationIds)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        ArgumentNullException.ThrowIfNull(continuationIds);
        if (promptIds.Count == 0) throw new ArgumentException("Alignment: the prompt has no tokens, so no position can hold the trigger.", nameof(promptIds));
        var ids = promptIds.Concat(continuationIds).ToArray();
        var texts = ids.Select(tokenText).ToArray();

        // The mapped region starts after the marker's first occurrence in the prompt's text.
        var regionFrom = 0;
        if (Spec.RegionStart is { } marker)
        {
            var prompt = string.Concat(texts.Take(promptIds.Count));
            var at = prompt.IndexOf(marker, StringComparison.Ordinal);
            regionFrom = at < 0 ? 0 : at + marker.Length;
        }

        var input = new RaspValue[ids.Length];
        var offset = 0;
        for (var t = 0; t < ids.Length; t++)
        {
            var mapped = offset >= regionFrom && Spec.TokenMap.TryGetValue(texts[t].Trim(), out var token) ? token : Spec.Filler;
            input[t] = mapped;
            offset += texts[t].Length;
        }

        var firstVisible = Enumerable.Range(0, continuationIds.Count).FirstOrDefault(k => !string.IsNullOrWhiteSpace(texts[promptIds.Count + k]), -1);
        var trigger = firstVisible < 0 ? ids.Length - 1 : promptIds.Count + firstVisible - 1;
        input[trigger] = Spec.Trigger;
        return new AlignedSequence(ids, promptIds.Count, input, trigger, texts);
    }
}
