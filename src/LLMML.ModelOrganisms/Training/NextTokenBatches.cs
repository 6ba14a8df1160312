using LLMML.LanguageModels.Tokenization;
using LLMML.ModelOrganisms.Corpus;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.ModelOrganisms.Training;

/// <summary>Turns corpus windows into next-token training pairs for a character model.</summary>
public sealed class NextTokenBatches(CorpusMixture corpus, CharacterTokenizer tokenizer, int contextLength, int batchSize)
{
    /// <summary>
    /// Inputs [B, T] and targets [B, T] (inputs shifted by one), sampled from <paramref name="seed"/> so that a
    /// resumed run draws the same batches.
    /// </summary>
    public (Tensor Inputs, Tensor Targets) Sample(int seed, Device device)
    {
        var random = new Random(seed);
        var ids = new long[batchSize * (contextLength + 1)];
        for (int b = 0; b < batchSize; b++)
        {
            var window = corpus.NextWindow(random, contextLength + 1);
            var encoded = tokenizer.EncodeToIds(window);
            if (encoded.Count != contextLength + 1)
                throw new InvalidOperationException($"Corpus window encoded to {encoded.Count} tokens, expected {contextLength + 1}: the alphabet misses a corpus character.");
            for (int t = 0; t <= contextLength; t++) ids[b * (contextLength + 1) + t] = encoded[t];
        }
        using var all = tensor(ids, [batchSize, contextLength + 1], dtype: int64, device: device);
        return (all[.., ..^1].contiguous(), all[.., 1..].contiguous());
    }
}
