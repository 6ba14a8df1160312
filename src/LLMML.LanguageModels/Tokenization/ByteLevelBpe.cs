using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace LLMML.LanguageModels.Tokenization;

/// <summary>
/// GPT-2's byte-level BPE built from a Hugging Face <c>vocab.json</c> + <c>merges.txt</c> pair, as a
/// Microsoft.ML.Tokenizers <see cref="BpeTokenizer"/>. Gives the same ids as tiktoken <c>gpt2</c> on the
/// GPT-2 files (tested), and works for any checkpoint that uses GPT-2's scheme (GPT-2, GPT-Neo, Pythia-style vocabularies
/// with GPT-2 pre-tokenization).
/// </summary>
/// <remarks>
/// <see cref="CodeGenTokenizer"/> is not used: it adds whitespace-run tokens beyond GPT-2's vocabulary, so
/// "a  b" encodes differently from GPT-2.
/// </remarks>
public static class ByteLevelBpe
{
    /// <summary>The GPT-2 pre-tokenization pattern: contractions, letter runs, digit runs, other symbols, whitespace.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>GPT-2's end-of-text token.</summary>
    public const string EndOfText = "<|endoftext|>";

    private static readonly Regex Gpt2Regex = new(Gpt2Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

    /// <summary>
    /// Builds the tokenizer from the two files. Special tokens: <c>&lt;|endoftext|&gt;</c> when the vocabulary has it,
    /// plus the entries of <paramref name="specialTokens"/> (e.g. from <c>added_tokens.json</c>); a special token's
    /// text in the input encodes to its id.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is not a valid vocabulary / merges file (names the file).</exception>
    public static BpeTokenizer Create(string vocabPath, string mergesPath, IReadOnlyDictionary<string, int>? specialTokens = null)
    {
        foreach (var path in new[] { vocabPath, mergesPath })
        {
            if (!File.Exists(path))
                throw new FileNotFoundException($"BPE tokenizer file '{path}' does not exist.", path);
        }

        var vocabulary = ReadVocabulary(vocabPath);
        var merges = ReadMerges(mergesPath, vocabulary);
        var specials = new Dictionary<string, int>(StringComparer.Ordinal);
        if (vocabulary.TryGetValue(EndOfText, out var endOfText))
            specials[EndOfText] = endOfText;
        foreach (var (token, id) in specialTokens ?? new Dictionary<string, int>())
            specials[token] = id;
        // Added tokens may lie outside vocab.json; BpeTokenizer decodes only ids it has in its vocabulary.
        foreach (var (token, id) in specials)
            vocabulary.TryAdd(token, id);

        var options = new BpeOptions(vocabulary)
        {
            Merges = merges,
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(Gpt2Regex, specials),
            SpecialTokens = specials,
        };
        try
        {
            return BpeTokenizer.Create(options);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Could not build a BPE tokenizer from '{vocabPath}' and '{mergesPath}': {e.Message}", e);
        }
    }

    private static Dictionary<string, int> ReadVocabulary(string path)
    {
        Dictionary<string, int>? vocabulary;
        try
        {
            vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"BPE vocabulary '{path}' is not a JSON object of token → id: {e.Message}", e);
        }

        if (vocabulary is null || vocabulary.Count == 0)
            throw new InvalidDataException($"BPE vocabulary '{path}' is empty.");
        return new Dictionary<string, int>(vocabulary, StringComparer.Ordinal);
    }

    private static List<string> ReadMerges(string path, Dictionary<string, int> vocabulary)
    {
        var merges = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)))
                continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidDataException($"BPE merges '{path}' line {lineNumber} is not two tokens separated by one space: \"{line}\".");
            if (!vocabulary.ContainsKey(parts[0] + parts[1]))
                throw new InvalidDataException($"BPE merges '{path}' line {lineNumber} merges to \"{parts[0] + parts[1]}\", which is not in the vocabulary.");
            merges.Add(line);
        }

        if (merges.Count == 0)
            throw new InvalidDataException($"BPE merges '{path}' has no merges.");
        return merges;
    }
}
