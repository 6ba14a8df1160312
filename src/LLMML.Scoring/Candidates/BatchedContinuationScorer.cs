using LLMML.LanguageModels.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Scoring.Candidates;

/// <summary>
/// Log-likelihoods of many continuations per prompt from as few forward rows as possible (<see cref="ContinuationTrie"/>):
/// all rows of all prompts go into one right-padded forward pass (split only when the logits would exceed a budget),
/// and only the needed (row, position, token) log-probabilities are gathered on the device.
/// </summary>
internal static class BatchedContinuationScorer
{
    /// <summary>
    /// result[i][k] = (Σ_j log p(c_k[j] | prompt_i, c_k[..j]), |c_k|) for every prompt i and continuation k, natural log.
    /// Call under no_grad with the model in eval mode.
    /// </summary>
    public static (double LogLikelihood, int TokenCount)[][] Score(
        CausalLanguageModel model, IReadOnlyList<PromptContinuations> items, long padId, long maxLogitsPerForward, CancellationToken cancellationToken)
    {
        var rows = new List<int[]>();
        var lookups = new List<(int Row, int Position, int Token, int Item, int Continuation)>();
        for (var i = 0; i < items.Count; i++)
        {
            var (prompt, continuations) = (items[i].Prompt, items[i].Continuations);
            if (prompt.Length == 0) throw new ArgumentException($"Prompt {i} has no tokens.", nameof(items));
            var trie = ContinuationTrie.Build(continuations);
            var firstRow = rows.Count;
            rows.AddRange(trie.Paths.Select(p => prompt.Concat(p).ToArray()));
            for (var k = 0; k < continuations.Count; k++)
                for (var j = 0; j < continuations[k].Length; j++)
                    // logits at position t predict token t + 1
                    lookups.Add((firstRow + trie.PathOf[k], prompt.Length - 1 + j, continuations[k][j], i, k));
        }

        var result = items.Select(it => it.Continuations.Select(c => (0.0, c.Length)).ToArray()).ToArray();
        var picked = new float[lookups.Count];
        var byRow = lookups.Select((l, n) => (l, n)).GroupBy(x => x.l.Row).ToDictionary(g => g.Key, g => g.ToArray());
        var vocabulary = model.Config.VocabularySize;
        var device = model.Device;
        var start = 0;
        while (start < rows.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Grow the chunk while its logits stay within budget (always at least one row).
            var end = start + 1;
            var width = rows[start].Length;
            while (end < rows.Count && (long)(end - start + 1) * Math.Max(width, rows[end].Length) * vocabulary <= maxLogitsPerForward)
                width = Math.Max(width, rows[end++].Length);
            using var scope = NewDisposeScope();
            var count = end - start;
            var ids = new long[count * width];
            var mask = new long[count * width];
            var flat = new List<long>();
            var tokens = new List<long>();
            var targets = new List<int>();
            for (var r = 0; r < count; r++)
            {
                var row = rows[start + r];
                for (var t = 0; t < width; t++)
                {
                    ids[r * width + t] = t < row.Length ? row[t] : padId;
                    mask[r * width + t] = t < row.Length ? 1 : 0;
                }
                if (!byRow.TryGetValue(start + r, out var needed)) continue;
                foreach (var (l, n) in needed)
                {
                    flat.Add((long)r * width + l.Position);
                    tokens.Add(l.Token);
                    targets.Add(n);
                }
            }
            var logits = model.forward(tensor(ids, [count, width], device: device), tensor(mask, [count, width], device: device), null);   // [R, T, V]
            var selected = logits.reshape(-1, vocabulary).index_select(0, tensor(flat.ToArray(), device: device));                           // [N, V]
            var logProbs = selected.to_type(ScalarType.Float32).log_softmax(-1)
                .gather(1, tensor(tokens.ToArray(), device: device).unsqueeze(1)).squeeze(1);                                               // [N]
            var values = logProbs.to(CPU).data<float>().ToArray();
            for (var n = 0; n < values.Length; n++) picked[targets[n]] = values[n];
            start = end;
        }

        for (var n = 0; n < lookups.Count; n++)
        {
            var l = lookups[n];
            result[l.Item][l.Continuation].Item1 += picked[n];
        }
        return result;
    }
}
