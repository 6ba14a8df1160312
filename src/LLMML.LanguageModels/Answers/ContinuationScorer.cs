using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Answers;

/// <summary>
/// The library's one continuation scorer: log-probabilities of many continuations per prompt from as few forward rows
/// as possible (<see cref="ContinuationTrie"/>), gathering only the needed (row, position, token) log-probabilities on
/// the device. By default each prompt runs through the model once and its keys/values are repeated for every trie path
/// (<see cref="KeyValueCache.Repeat"/>), so the cost of a closed answer set no longer grows with the prompt length
/// times the number of paths; <see cref="ContinuationScoring.SharePromptCache"/> off recomputes the prompt in every
/// row (the reference path the benchmark compares against). Both agree to float rounding.
/// </summary>
public static class ContinuationScorer
{
    /// <summary>
    /// result[i][k][j] = log p(c_k[j] | prompt_i, c_k[..j]) for every prompt i, continuation k and token j, natural log.
    /// Runs in evaluation mode without gradients (the model's mode is restored afterwards).
    /// </summary>
    /// <exception cref="ArgumentException">A prompt has no tokens.</exception>
    public static float[][][] TokenLogProbabilities(CausalLanguageModel model, IReadOnlyList<PromptContinuations> items, ContinuationScoring? settings = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(items);
        settings = (settings ?? new ContinuationScoring()).Validate();
        var plan = Plan.Build(items);
        using var mode = ModuleMode.Evaluation(model);
        using var noGrad = no_grad();
        if (settings.SharePromptCache) ScoreWithSharedPrompts(model, items, plan, settings, cancellationToken);
        else ScoreFullRows(model, items, plan, settings, cancellationToken);
        return plan.Result;
    }

    /// <summary>
    /// result[i][k] = (Σ_j log p(c_k[j] | prompt_i, c_k[..j]), |c_k|), natural log, summed in token order in double.
    /// </summary>
    public static (double LogLikelihood, int TokenCount)[][] Score(CausalLanguageModel model, IReadOnlyList<PromptContinuations> items, ContinuationScoring? settings = null,
        CancellationToken cancellationToken = default)
    {
        var tokens = TokenLogProbabilities(model, items, settings, cancellationToken);
        return tokens.Select(item => item.Select(c =>
        {
            var sum = 0.0;
            foreach (var lp in c) sum += lp;
            return (sum, c.Length);
        }).ToArray()).ToArray();
    }

    /// <summary>Every row is prompt + path, right-padded, in chunks whose logits stay within the budget.</summary>
    private static void ScoreFullRows(CausalLanguageModel model, IReadOnlyList<PromptContinuations> items, Plan plan, ContinuationScoring settings, CancellationToken cancellationToken)
    {
        var rows = plan.Rows.Select(r => items[r.Item].Prompt.Concat(r.Path).ToArray()).ToArray();
        var vocabulary = model.Config.VocabularySize;
        var start = 0;
        while (start < rows.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Grow the chunk while its logits stay within budget (always at least one row).
            var end = start + 1;
            var width = rows[start].Length;
            while (end < rows.Length && (long)(end - start + 1) * Math.Max(width, rows[end].Length) * vocabulary <= settings.MaxValuesPerForward)
                width = Math.Max(width, rows[end++].Length);
            using var scope = NewDisposeScope();
            var count = end - start;
            var (ids, mask) = RightPadded(rows.AsSpan(start, count), width, settings.PadId, model.Device);
            var logits = model.forward(ids, mask, null);                                                            // [R, T, V]
            var lookups = new List<Lookup>();
            for (var r = 0; r < count; r++)
            {
                var promptEnd = items[plan.Rows[start + r].Item].Prompt.Length - 1;
                // logits at position t predict token t + 1: the prompt's last position predicts token 0.
                foreach (var l in plan.Rows[start + r].Lookups) lookups.Add(l with { Position = (long)r * width + promptEnd + l.Token });
                foreach (var l in plan.Rows[start + r].FirstTokens) lookups.Add(l with { Position = (long)r * width + promptEnd });
            }
            Gather(logits.reshape(-1, vocabulary), lookups, plan.Result);
            start = end;
        }
    }

    /// <summary>
    /// Prompts run left-padded (positions count real tokens only, so padding does not shift them) with a cache, and the
    /// last prompt position gives every continuation's first token. The answer trie is then decoded level by level: the
    /// inner nodes at depth d run as one token each on a repeat of their parents' cache rows, so every shared prefix
    /// (" 1" of " 12" and " 13") is computed once and the prompt never again.
    /// </summary>
    private static void ScoreWithSharedPrompts(CausalLanguageModel model, IReadOnlyList<PromptContinuations> items, Plan plan, ContinuationScoring settings, CancellationToken cancellationToken)
    {
        var config = model.Config;
        var vocabulary = config.VocabularySize;
        // Values held per row position: its logits and its keys and values in every layer.
        var perPosition = vocabulary + 2L * config.NumLayers * config.KeyValueHeads * config.HeadDim;
        var device = model.Device;
        var depth = new int[items.Count];
        var widest = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
            if (plan.Tries[i] is { } trie)
            {
                depth[i] = trie.InnerNodes.Count == 0 ? 0 : trie.InnerNodes[^1].Depth;
                widest[i] = trie.InnerNodes.Count == 0 ? 0 : trie.InnerNodes.GroupBy(n => n.Depth).Max(g => g.Count());
            }
        // Every row of a group sees the group's padded prompt width, so with learned positions a group must also fit its
        // deepest node after its longest prompt (each item alone does: its prompt was fitted to its continuations).
        bool Fits(int promptWidth, int levels) => !config.UsesLearnedPositions || promptWidth + levels <= config.MaxPositionEmbeddings;
        var first = 0;
        while (first < items.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var last = first + 1;
            var (promptWidth, levels, rows) = (items[first].Prompt.Length, depth[first], (long)widest[first]);
            while (last < items.Count)
            {
                var (w, l, r) = (Math.Max(promptWidth, items[last].Prompt.Length), Math.Max(levels, depth[last]), rows + widest[last]);
                if ((long)(last - first + 1) * w * perPosition > settings.MaxValuesPerForward || r * (w + l) * perPosition > settings.MaxValuesPerForward || !Fits(w, l)) break;
                (promptWidth, levels, rows) = (w, l, r);
                last++;
            }
            using var scope = NewDisposeScope();
            using var promptCache = new KeyValueCache(config.NumLayers);
            var prompts = Enumerable.Range(first, last - first).Select(i => items[i].Prompt).ToArray();
            var (promptIds, promptMask) = LeftPadded(prompts, promptWidth, settings.PadId, device);
            var promptLogits = model.forward(promptIds, promptMask, promptCache).select(1, -1);                     // [n, V]
            Gather(promptLogits, Enumerable.Range(first, last - first).SelectMany(i => plan.FirstTokens[i].Select(l => l with { Position = i - first })).ToList(), plan.Result);

            // rowOf[i][node] = the node's row in the level it was decoded in; the prompt is row i − first of the prompt cache.
            var rowOf = Enumerable.Range(first, last - first).Select(i => new int[plan.Tries[i]?.InnerNodes.Count ?? 0]).ToArray();
            var parents = promptCache;
            try
            {
                for (var level = 1; level <= levels; level++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var levelScope = NewDisposeScope();
                    var nodes = new List<(int Item, int Node)>();
                    for (var i = first; i < last; i++)
                        if (plan.Tries[i] is { } trie)
                            for (var n = 0; n < trie.InnerNodes.Count; n++)
                                if (trie.InnerNodes[n].Depth == level) nodes.Add((i, n));
                    if (nodes.Count == 0) break;
                    var source = new long[nodes.Count];
                    var ids = new long[nodes.Count];
                    for (var r = 0; r < nodes.Count; r++)
                    {
                        var (i, n) = nodes[r];
                        var node = plan.Tries[i]!.InnerNodes[n];
                        source[r] = node.Parent < 0 ? i - first : rowOf[i - first][node.Parent];
                        ids[r] = node.Token;
                        rowOf[i - first][n] = r;
                    }
                    var cache = parents.Repeat(tensor(source, device: device));
                    if (!ReferenceEquals(parents, promptCache)) parents.Dispose();
                    parents = cache;
                    var logits = model.forward(tensor(ids, [nodes.Count, 1], device: device), ones(nodes.Count, 1, dtype: ScalarType.Int64, device: device), cache);   // [R, 1, V]
                    var lookups = new List<Lookup>();
                    foreach (var (i, n) in nodes)
                        foreach (var l in plan.NodeLookups[i]![n]) lookups.Add(l with { Position = rowOf[i - first][n] });
                    Gather(logits.reshape(-1, vocabulary), lookups, plan.Result);
                }
            }
            finally
            {
                if (!ReferenceEquals(parents, promptCache)) parents.Dispose();
            }
            first = last;
        }
    }

    /// <summary>Writes log_softmax(logits[Position])[token] into the result for each lookup (Token holds j until here).</summary>
    /// <param name="logits">[N, V]</param>
    private static void Gather(Tensor logits, List<Lookup> lookups, float[][][] result)
    {
        if (lookups.Count == 0) return;
        using var scope = NewDisposeScope();
        var device = logits.device;
        var where = tensor(lookups.Select(l => l.Position).ToArray(), device: device);
        var tokens = tensor(lookups.Select(l => (long)l.Id).ToArray(), device: device);
        var values = logits.index_select(0, where).to_type(ScalarType.Float32).log_softmax(-1)
            .gather(1, tokens.unsqueeze(1)).squeeze(1).to(CPU).data<float>().ToArray();                            // [N]
        for (var n = 0; n < values.Length; n++) result[lookups[n].Item][lookups[n].Continuation][lookups[n].Token] = values[n];
    }

    private static (Tensor Ids, Tensor Mask) RightPadded(ReadOnlySpan<int[]> rows, int width, long padId, Device device)
    {
        var ids = new long[rows.Length * width];
        var mask = new long[rows.Length * width];
        for (var r = 0; r < rows.Length; r++)
            for (var t = 0; t < width; t++)
            {
                ids[r * width + t] = t < rows[r].Length ? rows[r][t] : padId;
                mask[r * width + t] = t < rows[r].Length ? 1 : 0;
            }
        return (tensor(ids, [rows.Length, width], device: device), tensor(mask, [rows.Length, width], device: device));
    }

    private static (Tensor Ids, Tensor Mask) LeftPadded(int[][] rows, int width, long padId, Device device)
    {
        var ids = new long[rows.Length * width];
        var mask = new long[rows.Length * width];
        Array.Fill(ids, padId);
        for (var r = 0; r < rows.Length; r++)
        {
            var offset = r * width + width - rows[r].Length;
            for (var t = 0; t < rows[r].Length; t++)
            {
                ids[offset + t] = rows[r][t];
                mask[offset + t] = 1;
            }
        }
        return (tensor(ids, [rows.Length, width], device: device), tensor(mask, [rows.Length, width], device: device));
    }

    /// <summary>One needed log-probability: token <see cref="Token"/> (j) of continuation k of item i is <see cref="Id"/>, read at a position filled in per forward.</summary>
    private readonly record struct Lookup(int Item, int Continuation, int Token, int Id, long Position = 0);

    /// <summary>One forward row of the recomputing scorer: an item's trie path, the tokens j ≥ 1 read along it, and (on its item's first row) the first tokens.</summary>
    private sealed record Row(int Item, int[] Path, List<Lookup> Lookups, List<Lookup> FirstTokens);

    private sealed class Plan
    {
        public required Row[] Rows { get; init; }

        /// <summary>Per item: its trie (null when it has nothing to score).</summary>
        public required ContinuationTrie?[] Tries { get; init; }

        /// <summary>Per item: the lookups of every continuation's first token (read at the prompt's last position).</summary>
        public required List<Lookup>[] FirstTokens { get; init; }

        /// <summary>Per item and inner node: the lookups of the tokens that follow that prefix.</summary>
        public required List<Lookup>[]?[] NodeLookups { get; init; }

        public required float[][][] Result { get; init; }

        public static Plan Build(IReadOnlyList<PromptContinuations> items)
        {
            var rows = new List<Row>();
            var result = new float[items.Count][][];
            var tries = new ContinuationTrie?[items.Count];
            var firstTokens = new List<Lookup>[items.Count];
            var nodeLookups = new List<Lookup>[]?[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                var (prompt, continuations) = (items[i].Prompt, items[i].Continuations);
                if (prompt.Length == 0) throw new ArgumentException($"Prompt {i} has no tokens; start it with at least a BOS token.", nameof(items));
                result[i] = continuations.Select(c => new float[c.Length]).ToArray();
                firstTokens[i] = [];
                var scored = Enumerable.Range(0, continuations.Count).Where(k => continuations[k].Length > 0).ToArray();
                if (scored.Length == 0) continue;
                var trie = tries[i] = ContinuationTrie.Build(scored.Select(k => continuations[k]).ToArray());
                var byNode = nodeLookups[i] = trie.InnerNodes.Select(_ => new List<Lookup>()).ToArray();
                var firstRow = rows.Count;
                rows.AddRange(trie.Paths.Select(p => new Row(i, p, [], [])));
                for (var s = 0; s < scored.Length; s++)
                {
                    var k = scored[s];
                    var row = rows[firstRow + trie.PathOf[s]];
                    // Every continuation's first token comes from the prompt's last position; the item's first row carries them.
                    var first = new Lookup(i, k, 0, continuations[k][0]);
                    rows[firstRow].FirstTokens.Add(first);
                    firstTokens[i].Add(first);
                    for (var j = 1; j < continuations[k].Length; j++)
                    {
                        var lookup = new Lookup(i, k, j, continuations[k][j]);
                        row.Lookups.Add(lookup);
                        byNode[trie.InnerNodeOf(s, j)].Add(lookup);
                    }
                }
            }
            return new Plan { Rows = rows.ToArray(), Tries = tries, FirstTokens = firstTokens, NodeLookups = nodeLookups, Result = result };
        }
    }
}

/// <summary>Settings of <see cref="ContinuationScorer"/>.</summary>
public sealed record ContinuationScoring
{
    /// <summary>Id written into padding (masked out, so any valid id works).</summary>
    public long PadId { get; init; }

    /// <summary>
    /// Upper bound on values held at once by one forward pass: logits (rows × positions × vocabulary) and, when the
    /// prompt cache is shared, the repeated keys and values; larger work is split into several forwards.
    /// </summary>
    public long MaxValuesPerForward { get; init; } = 64L << 20;

    /// <summary>
    /// Run each prompt once and repeat its key/value cache for every trie path (default). Off recomputes the prompt in
    /// every row: slower, kept as the reference the benchmark and the tests compare with.
    /// </summary>
    public bool SharePromptCache { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming a bad setting.</summary>
    public ContinuationScoring Validate()
    {
        if (MaxValuesPerForward < 1) throw new ArgumentOutOfRangeException(nameof(MaxValuesPerForward), MaxValuesPerForward, "MaxValuesPerForward must be at least 1.");
        return this;
    }
}
