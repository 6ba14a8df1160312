using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;

namespace LLMML.HostileInputs.Tests.Support;

/// <summary>A two-layer character-level GPT-2 small enough to save and load in milliseconds.</summary>
public static class TinyCheckpoint
{
    public const string Alphabet = "0123456789+=*abcdefgh ";

    public static LanguageModel Create(int seed = 0, long? positions = null)
    {
        TorchSharp.torch.manual_seed(seed);
        var tokenizer = new CharacterTokenizer(Alphabet);
        var config = TransformerConfig.Gpt2(hidden: 8, layers: 2, heads: 2, vocabulary: tokenizer.VocabularySize, positions: positions ?? 32);
        return new LanguageModel(new CausalLanguageModel(config), tokenizer);
    }

    /// <summary>Saves a tiny checkpoint into <paramref name="directory"/> and returns it.</summary>
    public static string Write(string directory, int seed = 0, long? positions = null)
    {
        using var lm = Create(seed, positions);
        lm.Save(directory);
        return directory;
    }
}
