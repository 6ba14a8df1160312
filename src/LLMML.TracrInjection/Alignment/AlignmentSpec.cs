using LLMML.Rasp.Language;

namespace LLMML.TracrInjection.Alignment;

/// <summary>
/// How an LM's tokens become a compiled program's input (METHODS.md §3): a token whose text (trimmed) is a key of
/// <see cref="TokenMap"/> becomes that compiled token, every other token the <see cref="Filler"/>. The
/// <see cref="Trigger"/> is never mapped from text: it is placed at the one position whose next token is the answer's
/// first visible token, so the prompt's own ":" or "=" cannot start the answer a position early (with a character
/// tokenizer the space after "Answer:" predicts the answer, not the colon).
/// </summary>
public sealed record AlignmentSpec
{
    /// <summary>Compiled token of every unmapped LM token.</summary>
    public required string Filler { get; init; }

    /// <summary>Compiled token placed at the position that predicts the answer.</summary>
    public required string Trigger { get; init; }

    /// <summary>LM token text (trimmed) → compiled token.</summary>
    public required IReadOnlyDictionary<string, string> TokenMap { get; init; }

    /// <summary>
    /// Only text after the first occurrence of this marker in the prompt is mapped (null: all of it). It keeps the
    /// task's question out of the program: count's "What is the number of 'x' in this text?" holds two x's.
    /// </summary>
    public string? RegionStart { get; init; }

    /// <summary>Checks that every compiled token is in <paramref name="vocabulary"/> and that no text maps to the trigger.</summary>
    /// <exception cref="ArgumentException">Names the offending entry.</exception>
    public void Validate(IReadOnlyList<RaspValue> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        void Require(string token, string what)
        {
            if (!vocabulary.Contains(token))
                throw new ArgumentException($"Alignment: {what} '{token}' is not in the compiled vocabulary {{{string.Join(", ", vocabulary)}}}.");
        }
        Require(Filler, "filler");
        Require(Trigger, "trigger");
        foreach (var (text, token) in TokenMap)
        {
            if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("Alignment: the token map has an empty or whitespace key.");
            Require(token, $"the token map's target for '{text}',");
            if (token == Trigger)
                throw new ArgumentException($"Alignment: '{text}' maps to the trigger '{Trigger}'; the trigger is placed at the answer position, never mapped from text.");
        }
        if (RegionStart is { Length: 0 }) throw new ArgumentException("Alignment: RegionStart is empty; use null for the whole prompt.");
    }
}
