using LLMML.LanguageModels.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Generation;

/// <summary>Per-token log-probabilities of given continuations after given prompts, batched with right padding.</summary>
public static class ContinuationScorer
{
    /// <summary>
    /// log p(continuation[j] | prompt, continuation[..j]) for every continuation token, natural log.
    /// </summary>
    /// <param name="model">the model (eval mode is set)</param>
    /// <param name="prompts">prompt ids per row (each non-empty: the first token has no prediction)</param>
    /// <param name="continuations">continuation ids per row</param>
    /// <param name="batchSize">rows per forward pass</param>
    /// <param name="padId">id placed in padding positions</param>
    /// <param name="cancellationToken">checked between batches</param>
    /// <returns>One array per row, as long as its continuation.</returns>
    public static IReadOnlyList<float[]> LogProbabilities(
        CausalLanguageModel model, IReadOnlyList<IReadOnlyList<int>> prompts, IReadOnlyList<IReadOnlyList<int>> continuations,
        int batchSize = 16, long padId = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (prompts.Count != continuations.Count)
            throw new ArgumentException($"{prompts.Count} prompts but {continuations.Count} continuations.", nameof(continuations));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        for (var i = 0; i < prompts.Count; i++)
            if (prompts[i].Count == 0) throw new ArgumentException($"Prompt {i} is empty; start it with at least a BOS token.", nameof(prompts));

        model.eval();
        using var noGrad = no_grad();
        var results = new float[prompts.Count][];
        for (var start = 0; start < prompts.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, prompts.Count - start);
            var rows = Enumerable.Range(start, count).ToArray();
            var width = rows.Max(r => prompts[r].Count + continuations[r].Count);
            var ids = new long[count * width];
            var mask = new long[count * width];
            for (var i = 0; i < count; i++)
            {
                var sequence = prompts[rows[i]].Concat(continuations[rows[i]]).ToArray();
                for (var t = 0; t < width; t++)
                {
                    ids[i * width + t] = t < sequence.Length ? sequence[t] : padId;
                    mask[i * width + t] = t < sequence.Length ? 1 : 0;
                }
            }
            var device = model.Device;
            var input = tensor(ids, [count, width], device: device);
            var logits = model.forward(input, tensor(mask, [count, width], device: device), null);   // [b, S, V]
            if (width < 2)
            {
                foreach (var r in rows) results[r] = [];
                continue;
            }
            var logProbs = logits.narrow(1, 0, width - 1).to_type(ScalarType.Float32).log_softmax(-1);     // [b, S-1, V]
            var targets = input.narrow(1, 1, width - 1).unsqueeze(-1);                                   // [b, S-1, 1]
            var picked = logProbs.gather(-1, targets).squeeze(-1).to(CPU).data<float>().ToArray();        // b·(S-1)
            for (var i = 0; i < count; i++)
            {
                var r = rows[i];
                var first = prompts[r].Count - 1;   // logits at position p predict token p + 1
                results[r] = picked.AsSpan(i * (width - 1) + first, continuations[r].Count).ToArray();
            }
        }
        return results;
    }
}
