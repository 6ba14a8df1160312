using System.Buffers;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace LLMML.LanguageModels.Tokenization;

/// <summary>
/// A character-level tokenizer for small models trained from scratch (digits, arithmetic, toy languages):
/// one id per Unicode scalar value of a fixed alphabet, plus special tokens.
/// </summary>
/// <remarks>
/// Ids: the special tokens first (<c>&lt;pad&gt;</c>=0, <c>&lt;bos&gt;</c>=1, <c>&lt;eos&gt;</c>=2,
/// <c>&lt;unk&gt;</c>=3, then any extra special tokens in order), then the alphabet in order.
/// A special token's text inside the input (e.g. "12+3=15&lt;eos&gt;") encodes to its id, so decoded text
/// encodes back to the same ids. Characters outside the alphabet become <c>&lt;unk&gt;</c>, or throw when
/// <see cref="Strict"/> is set. Persisted as JSON by <see cref="Save(string)"/> / <see cref="Load(string)"/>.
/// </remarks>
public sealed class CharacterTokenizer : Tokenizer
{
    /// <summary>The file name <see cref="TokenizerStore"/> uses for this tokenizer inside a checkpoint directory.</summary>
    public const string FileName = "llmml_tokenizer.json";

    /// <summary>The special tokens every character tokenizer has, in id order.</summary>
    public static IReadOnlyList<string> RequiredSpecialTokens { get; } = ["<pad>", "<bos>", "<eos>", "<unk>"];

    private readonly Dictionary<int, int> _idByRune = new();
    private readonly Dictionary<string, int> _vocabulary = new(StringComparer.Ordinal);
    private readonly string[] _tokenById;
    private readonly Dictionary<string, int> _specialTokens = new(StringComparer.Ordinal);
    // Longest first so "<eos2>" wins over "<eos>" when both exist.
    private readonly string[] _specialsByLength;

    /// <summary>Builds a tokenizer whose alphabet is the distinct characters of <paramref name="alphabet"/>, in order.</summary>
    /// <param name="alphabet">The characters (Unicode scalar values) the model knows. Each must occur once.</param>
    /// <param name="extraSpecialTokens">More special tokens (after the four required ones), e.g. "&lt;sep&gt;".</param>
    /// <param name="strict">Throw on characters outside the alphabet instead of mapping them to &lt;unk&gt;.</param>
    public CharacterTokenizer(string alphabet, IEnumerable<string>? extraSpecialTokens = null, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        var specials = RequiredSpecialTokens.Concat(extraSpecialTokens ?? []).ToList();
        var tokens = new List<string>();
        foreach (var special in specials)
        {
            if (string.IsNullOrEmpty(special))
                throw new ArgumentException("A special token must not be empty.", nameof(extraSpecialTokens));
            if (!_specialTokens.TryAdd(special, tokens.Count))
                throw new ArgumentException($"Special token '{special}' is listed twice.", nameof(extraSpecialTokens));
            _vocabulary[special] = tokens.Count;
            tokens.Add(special);
        }

        var position = 0;
        foreach (var rune in alphabet.EnumerateRunes())
        {
            if (_idByRune.ContainsKey(rune.Value))
                throw new ArgumentException($"Character {Describe(rune)} occurs twice in the alphabet (second time at position {position}).", nameof(alphabet));
            var text = rune.ToString();
            if (_vocabulary.ContainsKey(text))
                throw new ArgumentException($"Character {Describe(rune)} collides with a special token of the same text.", nameof(alphabet));
            _idByRune[rune.Value] = tokens.Count;
            _vocabulary[text] = tokens.Count;
            tokens.Add(text);
            position += rune.Utf16SequenceLength;
        }

        if (_idByRune.Count == 0)
            throw new ArgumentException("The alphabet is empty.", nameof(alphabet));

        _tokenById = tokens.ToArray();
        _specialsByLength = specials.OrderByDescending(s => s.Length).ToArray();
        Alphabet = alphabet;
        Strict = strict;
    }

    /// <summary>The alphabet the tokenizer was built from.</summary>
    public string Alphabet { get; }

    /// <summary>When true, encoding text with a character outside the alphabet throws instead of emitting &lt;unk&gt;.</summary>
    public bool Strict { get; }

    /// <summary>Id of &lt;pad&gt; (0).</summary>
    public int PadId => _specialTokens["<pad>"];

    /// <summary>Id of &lt;bos&gt; (1).</summary>
    public int BosId => _specialTokens["<bos>"];

    /// <summary>Id of &lt;eos&gt; (2).</summary>
    public int EosId => _specialTokens["<eos>"];

    /// <summary>Id of &lt;unk&gt; (3).</summary>
    public int UnkId => _specialTokens["<unk>"];

    /// <summary>Number of ids (special tokens + alphabet): the model's vocabulary size.</summary>
    public int VocabularySize => _tokenById.Length;

    /// <summary>Special token text → id, in id order.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens => _specialTokens;

    /// <summary>Token text → id for every id.</summary>
    public IReadOnlyDictionary<string, int> Vocabulary => _vocabulary;

    /// <summary>The same tokenizer with strict mode switched on or off.</summary>
    public CharacterTokenizer WithStrict(bool strict) =>
        new(Alphabet, ExtraSpecialTokens, strict);

    /// <summary>The text of one id.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is not in the vocabulary.</exception>
    public string IdToToken(int id) =>
        (uint)id < (uint)_tokenById.Length
            ? _tokenById[id]
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is outside the vocabulary [0, {_tokenById.Length}).");

    /// <inheritdoc />
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var source = text is null ? textSpan : text.AsSpan();
        var tokens = new List<EncodedToken>();
        var consumed = Encode(source, settings.MaxTokenCount, (id, start, length) =>
            tokens.Add(new EncodedToken(id, _tokenById[id], new Range(start, start + length))));
        return new EncodeResults<EncodedToken> { Tokens = tokens, CharsConsumed = consumed, NormalizedText = null };
    }

    /// <inheritdoc />
    protected override EncodeResults<int> EncodeToIds(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var source = text is null ? textSpan : text.AsSpan();
        var ids = new List<int>();
        var consumed = Encode(source, settings.MaxTokenCount, (id, _, _) => ids.Add(id));
        return new EncodeResults<int> { Tokens = ids, CharsConsumed = consumed, NormalizedText = null };
    }

    /// <inheritdoc />
    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var source = text is null ? textSpan : text.AsSpan();
        var count = 0;
        Encode(source, settings.MaxTokenCount, (_, _, _) => count++);
        return count;
    }

    /// <inheritdoc />
    protected override int GetIndexByTokenCount(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings, bool fromEnd,
        out string? normalizedText, out int tokenCount)
    {
        normalizedText = null;
        var source = text is null ? textSpan : text.AsSpan();
        var spans = new List<(int Start, int Length)>();
        Encode(source, int.MaxValue, (_, start, length) => spans.Add((start, length)));
        var max = Math.Max(0, settings.MaxTokenCount);
        tokenCount = Math.Min(max, spans.Count);
        if (!fromEnd)
            return tokenCount == 0 ? 0 : spans[tokenCount - 1].Start + spans[tokenCount - 1].Length;
        return tokenCount == 0 ? source.Length : spans[spans.Count - tokenCount].Start;
    }

    /// <summary>Decodes ids to text, writing special tokens as their text.</summary>
    /// <exception cref="InvalidOperationException">An id is outside the vocabulary.</exception>
    public override string Decode(IEnumerable<int> ids) => Decode(ids, skipSpecialTokens: false);

    /// <summary>Decodes ids to text; with <paramref name="skipSpecialTokens"/> the special tokens are left out.</summary>
    /// <exception cref="InvalidOperationException">An id is outside the vocabulary.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var builder = new StringBuilder();
        var index = 0;
        foreach (var id in ids)
        {
            var token = TokenOrThrow(id, index++);
            if (skipSpecialTokens && id < _specialTokens.Count)
                continue;
            builder.Append(token);
        }

        return builder.ToString();
    }

    /// <inheritdoc />
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        ArgumentNullException.ThrowIfNull(ids);
        idsConsumed = 0;
        charsWritten = 0;
        foreach (var id in ids)
        {
            var token = TokenOrThrow(id, idsConsumed);
            if (token.Length > destination.Length - charsWritten)
                return OperationStatus.DestinationTooSmall;
            token.AsSpan().CopyTo(destination[charsWritten..]);
            charsWritten += token.Length;
            idsConsumed++;
        }

        return OperationStatus.Done;
    }

    /// <summary>Writes the tokenizer as JSON to <paramref name="path"/> (atomically: temp file, then rename).</summary>
    public void Save(string path) => CharacterTokenizerFile.Write(this, path);

    /// <summary>Reads a tokenizer written by <see cref="Save(string)"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid character tokenizer file (names the file and the problem).</exception>
    public static CharacterTokenizer Load(string path) => CharacterTokenizerFile.Read(path);

    /// <summary>The extra special tokens (beyond the required four), in id order.</summary>
    internal IEnumerable<string> ExtraSpecialTokens => _tokenById.Take(_specialTokens.Count).Skip(RequiredSpecialTokens.Count);

    private string TokenOrThrow(int id, int index) =>
        (uint)id < (uint)_tokenById.Length
            ? _tokenById[id]
            : throw new InvalidOperationException($"Token id {id} at index {index} is outside the vocabulary [0, {_tokenById.Length}).");

    /// <returns>The number of characters consumed.</returns>
    private int Encode(ReadOnlySpan<char> text, int maxTokens, Action<int, int, int> emit)
    {
        if (maxTokens <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, "The maximum token count must be positive.");
        var count = 0;
        var position = 0;
        while (position < text.Length && count < maxTokens)
        {
            if (TryMatchSpecial(text[position..], out var specialId, out var specialLength))
            {
                emit(specialId, position, specialLength);
                position += specialLength;
                count++;
                continue;
            }

            var status = Rune.DecodeFromUtf16(text[position..], out var rune, out var length);
            if (status != OperationStatus.Done)
            {
                if (Strict)
                    throw new ArgumentException($"Invalid UTF-16 (a lone surrogate U+{(int)text[position]:X4}) at position {position}.", "text");
                emit(UnkId, position, 1);
                position += 1;
                count++;
                continue;
            }

            if (_idByRune.TryGetValue(rune.Value, out var id))
            {
                emit(id, position, length);
            }
            else if (Strict)
            {
                throw new ArgumentException($"Character {Describe(rune)} at position {position} is not in the tokenizer's alphabet.", "text");
            }
            else
            {
                emit(UnkId, position, length);
            }

            position += length;
            count++;
        }

        return position;
    }

    private bool TryMatchSpecial(ReadOnlySpan<char> text, out int id, out int length)
    {
        foreach (var special in _specialsByLength)
        {
            if (text.StartsWith(special, StringComparison.Ordinal))
            {
                id = _specialTokens[special];
                length = special.Length;
                return true;
            }
        }

        id = -1;
        length = 0;
        return false;
    }

    private static string Describe(Rune rune) =>
        Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) ? $"U+{rune.Value:X4}" : $"'{rune}' (U+{rune.Value:X4})";
}
