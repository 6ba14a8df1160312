using LLMML.Foundation.Persistence;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LLMML.LanguageModels.Tokenization;

/// <summary>The JSON form of a <see cref="CharacterTokenizer"/> (<c>llmml_tokenizer.json</c>).</summary>
internal static class CharacterTokenizerFile
{
    internal const string FormatName = "llmml-character-tokenizer";
    internal const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed class Dto
    {
        public string? Format { get; set; }
        public int Version { get; set; }
        public string? Alphabet { get; set; }
        public List<string>? SpecialTokens { get; set; }
        public bool Strict { get; set; }
    }

    public static void Write(CharacterTokenizer tokenizer, string path)
    {
        var dto = new Dto
        {
            Format = FormatName,
            Version = CurrentVersion,
            Alphabet = tokenizer.Alphabet,
            // Stored in full so a reader can check the required ones and their ids.
            SpecialTokens = tokenizer.SpecialTokens.OrderBy(p => p.Value).Select(p => p.Key).ToList(),
            Strict = tokenizer.Strict,
        };
        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(dto, JsonOptions));
    }

    public static CharacterTokenizer Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Character tokenizer file '{path}' does not exist.", path);
        Dto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<Dto>(File.ReadAllBytes(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Character tokenizer file '{path}' is not valid JSON: {e.Message}", e);
        }

        if (dto is null)
            throw new InvalidDataException($"Character tokenizer file '{path}' is empty (JSON null).");
        if (dto.Format != FormatName)
            throw new InvalidDataException($"Character tokenizer file '{path}' has format '{dto.Format}', expected '{FormatName}'.");
        if (dto.Version != CurrentVersion)
            throw new InvalidDataException($"Character tokenizer file '{path}' has version {dto.Version}; this library reads version {CurrentVersion}.");
        if (string.IsNullOrEmpty(dto.Alphabet))
            throw new InvalidDataException($"Character tokenizer file '{path}' has no 'alphabet'.");
        var specials = dto.SpecialTokens ?? [];
        var required = CharacterTokenizer.RequiredSpecialTokens;
        if (specials.Count < required.Count || !specials.Take(required.Count).SequenceEqual(required))
            throw new InvalidDataException(
                $"Character tokenizer file '{path}' must list the special tokens {string.Join(", ", required)} first, found [{string.Join(", ", specials)}].");

        try
        {
            return new CharacterTokenizer(dto.Alphabet, specials.Skip(required.Count), dto.Strict);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Character tokenizer file '{path}' is inconsistent: {e.Message}", e);
        }
    }
}
