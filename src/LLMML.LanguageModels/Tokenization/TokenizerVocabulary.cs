using Microsoft.ML.Tokenizers;

namespace LLMML.LanguageModels.Tokenization;

/// <summary>
/// The ids a tokenizer can emit, checked against the model's embedding table: a tokenizer with more ids than the
/// config's <c>vocab_size</c> would send a character past the table and fail deep inside libtorch
/// ("index out of range in self"), so the mismatch is refused when the two are put together, and any id the model
/// cannot embed is refused at encode, naming the text that produced it.
/// </summary>
public static class TokenizerVocabulary
{
    /// <summary>One more than the largest id <paramref name="tokenizer"/> can emit, or null for a kind whose vocabulary is not exposed (tiktoken: its ids are then checked at encode).</summary>
    public static long? Size(Tokenizer tokenizer) => tokenizer switch
    {
        CharacterTokenizer c => c.VocabularySize,
        BpeTokenizer b => MaxId(b.Vocabulary.Values, b.SpecialTokens?.Values) + 1,
        SentencePieceTokenizer s => MaxId(s.Vocabulary.Values, s.SpecialTokens?.Values) + 1,
        _ => null,
    };

    /// <summary>Throws <see cref="InvalidDataException"/> when the tokenizer can emit ids at or beyond <paramref name="vocabularySize"/>.</summary>
    public static void Check(Tokenizer tokenizer, long vocabularySize, string source)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (Size(tokenizer) is { } size && size > vocabularySize)
            throw new InvalidDataException(
                $"{source}: the tokenizer has {size} token ids but the model's vocab_size is {vocabularySize}; they do not belong together.");
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first id of <paramref name="ids"/> the model cannot embed and the text it came from.</summary>
    public static void CheckIds(IReadOnlyList<int> ids, long vocabularySize, string text)
    {
        for (var i = 0; i < ids.Count; i++)
            if (ids[i] < 0 || ids[i] >= vocabularySize)
                throw new ArgumentException(
                    $"Token {i} of \"{Shorten(text)}\" has id {ids[i]}, outside the model's vocabulary [0, {vocabularySize}); the tokenizer does not match the model.");
    }

    private static int MaxId(IEnumerable<int> ids, IEnumerable<int>? special) =>
        ids.Concat(special ?? []).DefaultIfEmpty(-1).Max();

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
