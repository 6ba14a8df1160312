using LLMML.LanguageModels.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Generation;

/// <summary>
/// Batched autoregressive decoding over token ids with a KV cache: prompts are left-padded, each step feeds only the
/// new token per row, and each step runs in its own dispose scope so memory stays flat.
/// </summary>
public static class TokenGenerator
{
    /// <summary>Decides, after each new token, whether a row is finished (e.g. its decoded text hit a stop string).</summary>
    public delegate bool StopCondition(int row, IReadOnlyList<int> generated);

    /// <summary>Generates continuations of <paramref name="prompts"/> (each non-empty).</summary>
    /// <param name="model">the model (any device; eval mode is set)</param>
    /// <param name="prompts">prompt token ids per row</param>
    /// <param name="options">decoding settings</param>
    /// <param name="padId">token id placed in padding positions (masked out, so any valid id works)</param>
    /// <param name="stop">optional extra stop test per row</param>
    /// <param name="cancellationToken">checked between steps</param>
    /// <returns>The generated ids per row, without prompt and without the stop token.</returns>
    public static IReadOnlyList<IReadOnlyList<int>> Generate(
        CausalLanguageModel model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options,
        long padId = 0, StopCondition? stop = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        options.Validate();
        for (var i = 0; i < prompts.Count; i++)
            if (prompts[i].Count == 0) throw new ArgumentException($"Prompt {i} is empty; start it with at least a BOS token.", nameof(prompts));
        var rows = prompts.Count;
        var generated = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        if (rows == 0 || options.MaxNewTokens == 0) return generated;

        var stopIds = (options.StopTokenIds ?? (model.Config.EosTokenId is { } eos ? [(int)eos] : [])).ToHashSet();
        var device = model.Device;
        var done = new bool[rows];
        using var mode = ModuleMode.Evaluation(model);
        using var noGrad = no_grad();
        using var cache = new KeyValueCache(model.Config.NumLayers);
        using var sampler = options.Temperature > 0 ? new Sampler(options) : null;

        var (ids, mask) = LeftPad(prompts, padId, device);
        try
        {
            for (var step = 0; step < options.MaxNewTokens; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var logits = model.forward(ids, mask, cache);                 // [B, T, V]
                var last = logits.select(1, -1).to_type(ScalarType.Float32);   // [B, V]
                var next = sampler is null ? Greedy(last) : sampler.Sample(last);

                for (var r = 0; r < rows; r++)
                {
                    if (done[r]) continue;
                    if (stopIds.Contains(next[r])) { done[r] = true; continue; }
                    generated[r].Add(next[r]);
                    if (generated[r].Count >= options.MaxNewTokens || (stop?.Invoke(r, generated[r]) ?? false)) done[r] = true;
                }
                if (done.All(d => d)) break;

                // Finished rows keep a slot in the batch; they are fed padding that no one attends to.
                var nextIds = new long[rows];
                var nextMask = new long[rows];
                for (var r = 0; r < rows; r++) (nextIds[r], nextMask[r]) = done[r] ? (padId, 0L) : (next[r], 1L);
                ids.Dispose();
                mask.Dispose();
                ids = tensor(nextIds, [rows, 1], device: device).DetachFromDisposeScope();
                mask = tensor(nextMask, [rows, 1], device: device).DetachFromDisposeScope();
            }
        }
        finally
        {
            ids.Dispose();
            mask.Dispose();
        }
        return generated;
    }

    /// <returns>ids [B, T] int64 and mask [B, T] int64, prompts right-aligned.</returns>
    internal static (Tensor Ids, Tensor Mask) LeftPad(IReadOnlyList<IReadOnlyList<int>> prompts, long padId, Device device)
    {
        var width = prompts.Max(p => p.Count);
        var ids = new long[prompts.Count * width];
        var mask = new long[prompts.Count * width];
        for (var r = 0; r < prompts.Count; r++)
        {
            var offset = width - prompts[r].Count;
            for (var t = 0; t < width; t++)
            {
                var real = t >= offset;
                ids[r * width + t] = real ? prompts[r][t - offset] : padId;
                mask[r * width + t] = real ? 1 : 0;
            }
        }
        return (tensor(ids, [prompts.Count, width], device: device).DetachFromDisposeScope(),
                tensor(mask, [prompts.Count, width], device: device).DetachFromDisposeScope());
    }

    private static int[] Greedy(Tensor logits)
    {
        using var argmax = logits.argmax(-1).to(CPU);
        return argmax.data<long>().Select(v => (int)v).ToArray();
    }

    /// <summary>Temperature, top-k and top-p sampling with its own seeded generator (on the CPU, so seeds mean the same on every device).</summary>
    private sealed class Sampler : IDisposable
    {
        private readonly GenerationOptions _options;
        private readonly Generator _generator;

        public Sampler(GenerationOptions options)
        {
            this._options = options;
            _generator = options.Seed is { } seed ? new Generator((ulong)seed) : new Generator((ulong)Random.Shared.NextInt64());
        }

        /// <param name="logits">[B, V] float32</param>
        public int[] Sample(Tensor logits)
        {
            using var scope = NewDisposeScope();
            var scaled = logits.to(CPU) / _options.Temperature;
            if (_options.TopK > 0 && _options.TopK < scaled.shape[1])
            {
                var kth = scaled.topk(_options.TopK, -1).values.narrow(-1, _options.TopK - 1, 1);   // [B, 1]
                scaled = scaled.masked_fill(scaled.lt(kth), float.NegativeInfinity);
            }
            if (_options.TopP < 1)
            {
                var (sorted, order) = scaled.sort(-1, descending: true);
                var probabilities = sorted.softmax(-1);
                // Drop a token when the tokens ranked above it already reach TopP; the top token always stays.
                var drop = (probabilities.cumsum(-1) - probabilities).gt(_options.TopP);
                var dropInVocabularyOrder = zeros_like(drop).scatter(-1, order, drop);
                scaled = scaled.masked_fill(dropInVocabularyOrder, float.NegativeInfinity);
            }
            var chosen = multinomial(scaled.softmax(-1), 1, generator: _generator).squeeze(-1);   // [B]
            return chosen.data<long>().Select(v => (int)v).ToArray();
        }

        public void Dispose() => _generator.Dispose();
    }
}
