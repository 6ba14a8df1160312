using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;
using static TorchSharp.torch;

namespace LLMML.TestFramework;

/// <summary>Tiny random character-level GPT-2s: the models the component tests score, prune and code with.</summary>
public static class TinyLanguageModels
{
    /// <summary>
    /// A GPT-2 over <paramref name="alphabet"/> (plus the character tokenizer's specials), initialised after
    /// <c>manual_seed(seed)</c>; with <paramref name="sharpen"/> ≠ 1 every matrix is scaled by it, so random
    /// distributions are peaked and arg-maxes are not near-ties.
    /// </summary>
    public static LanguageModel CharacterGpt2(string alphabet, int seed, long hidden = 32, int layers = 2, int heads = 4, int context = 48, double sharpen = 1)
    {
        manual_seed(seed);
        var tokenizer = new CharacterTokenizer(alphabet);
        var config = TransformerConfig.Gpt2(hidden, layers, heads, tokenizer.VocabularySize, context) with
        {
            BosTokenId = tokenizer.BosId,
            EosTokenId = tokenizer.EosId,
            PadTokenId = tokenizer.PadId,
        };
        var model = new CausalLanguageModel(config);
        if (sharpen != 1)
            using (no_grad())
                foreach (var (_, p) in model.named_parameters())
                    if (p.dim() == 2) p.mul_(sharpen);
        return new LanguageModel(model, tokenizer);
    }
}
