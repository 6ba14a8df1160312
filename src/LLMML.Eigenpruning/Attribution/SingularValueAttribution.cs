// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using LLMML.Eigenpruning.Matrices;
using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using LLMML.LanguageModels.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Attribution;

/// <summary>
/// The eigenpruning score (METHODS.md §1): for singular value i of a matrix with input difference Δx = x_corrupt − x_clean
/// and output gradient g = ∂loss/∂y on the clean run, effect_i = s_i·(u_iᵀΔx)·(v_iᵀg) — the attribution-patching estimate
/// of how the answer loss changes when direction i's output is patched from the clean to the corrupted example. All
/// singular values of a matrix come from two batched products per batch (no loop over i), and the effects are reduced
/// over every training example and position.
/// </summary>
internal static class SingularValueAttribution
{
    public const string Stage = "score singular values";

    // The batch and position dimensions of [B, W, ...] tensors. A long[] so TorchSharp's array overload (which pins it)
    // is chosen: a long sweep once failed in amax with a garbage dimension when given a collection expression (span overload).
    internal static readonly long[] ExamplesAndPositions = [0, 1];

    // Quantile reduction keeps every effect (float32); above this many bytes it refuses and names the way out.
    internal const long QuantileMemoryLimit = 1L << 30;

    /// <summary>Scores every singular value of <paramref name="decompositions"/> on <paramref name="examples"/>.</summary>
    /// <param name="partners">partners[i]: the corrupted example compared with example i (<see cref="CorruptionPairs"/>, or a counterfactual).</param>
    public static AttributionResult Run(
        LanguageModel model, IReadOnlyList<ProjectionDecomposition> decompositions, IReadOnlyList<PromptAnswerTokens> examples,
        IReadOnlyList<PromptAnswerTokens> partners, EigenpruneSettings settings, CancellationToken cancellationToken)
    {
        var batchSize = settings.BatchSize;
        var reduction = settings.Reduction;
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (examples.Count != partners.Count) throw new ArgumentException($"{examples.Count} examples but {partners.Count} corruption partners.", nameof(partners));
        if (reduction == EffectReduction.Quantile)
        {
            var values = decompositions.Sum(d => (long)d.Count);
            var width = examples.Max(e => e.Prompt.Length + e.Answer.Length);
            var bytes = values * examples.Count * width * sizeof(float);
            if (bytes > QuantileMemoryLimit)
                throw new ArgumentException($"The quantile reduction keeps every effect: {values} singular values × {examples.Count} examples × up to {width} positions " +
                    $"≈ {bytes / (1 << 20)} MB, above {QuantileMemoryLimit / (1 << 20)} MB; use fewer examples (MaxExamples), fewer matrices, or Max/Mean.", nameof(settings));
        }
        var device = model.Device;
        var reduced = decompositions.Select(d => full(d.Heads, d.Rank, reduction == EffectReduction.Max ? double.NegativeInfinity : 0.0, dtype: ScalarType.Float64, device: device)).ToArray();
        var kept = decompositions.Select(_ => new List<Tensor>()).ToArray();                      // Quantile: [n, H, r] float32 per batch
        var counted = new long[decompositions.Count];
        var unchanged = new long[decompositions.Count];
        using var means = new MeanInputs(decompositions.Select(d => d.Id).ToArray(), decompositions.Select(d => d.InputSize).ToArray(), device);
        long positions = 0;
        using var mode = ModuleMode.Evaluation(model.Model);
        try
        {
            using var grad = enable_grad();
            using var recorder = new ProjectionRecorder(model.Model, decompositions.Select(d => d.Id), recordOutputs: true);
            for (var start = 0; start < examples.Count; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var count = Math.Min(batchSize, examples.Count - start);
                var rows = Enumerable.Range(start, count).Select(i => examples[i])
                    .Concat(Enumerable.Range(start, count).Select(i => partners[i])).ToArray();
                // One batch for both, so clean row b and its corruption b + count share prompt end and answer columns.
                var batch = AnswerBatch.For(model, rows);
                var (effects, valid, cleanMask, same) = BatchEffects(model, recorder, decompositions, batch, count);
                positions += valid.sum().ToInt64();
                means.Add(recorder, cleanMask);
                for (var k = 0; k < decompositions.Count; k++)
                {
                    var sameHere = same[k].logical_and(valid);
                    unchanged[k] += sameHere.sum().ToInt64();
                    var use = settings.ExcludeUnchangedPositions ? valid.logical_and(sameHere.logical_not()) : valid;   // [B, W]
                    counted[k] += use.sum().ToInt64();
                    var where = use.unsqueeze(-1).unsqueeze(-1);                                    // [B, W, 1, 1]
                    switch (reduction)
                    {
                        case EffectReduction.Max:
                            reduced[k].copy_(maximum(reduced[k], effects[k].masked_fill(where.logical_not(), double.NegativeInfinity).amax(ExamplesAndPositions)));
                            break;
                        case EffectReduction.Mean:
                            reduced[k].add_(effects[k].masked_fill(where.logical_not(), 0.0).sum(ExamplesAndPositions));
                            break;
                        default:
                            kept[k].Add(effects[k][use].to_type(ScalarType.Float32).MoveToOuterDisposeScope());   // [n, H, r]
                            break;
                    }
                }
                recorder.Clear();
                settings.Progress?.Report(new ProgressUpdate(Stage, start + count, examples.Count));
            }

            var result = new List<ProjectionAttribution>();
            var meanInputs = means.Means();
            for (var k = 0; k < decompositions.Count; k++)
            {
                using var scope = NewDisposeScope();
                var d = decompositions[k];
                var scores = reduction switch
                {
                    // With no position left to reduce over (all excluded), every effect seen was 0.
                    EffectReduction.Max => counted[k] == 0 ? zeros(d.Heads, d.Rank, dtype: ScalarType.Float64) : reduced[k].cpu(),
                    EffectReduction.Mean => (reduced[k] / Math.Max(counted[k], 1)).cpu(),
                    _ => QuantileOf(kept[k], settings.Quantile, d.Heads, d.Rank).cpu(),
                };
                result.Add(new ProjectionAttribution(d.Id, Rows(scores), Rows(d.S.cpu()), meanInputs[k], d.Axis, positions, unchanged[k]));
            }
            return new AttributionResult(result, examples.Count, positions, reduction);
        }
        finally
        {
            foreach (var t in reduced) t.Dispose();
            foreach (var t in kept.SelectMany(x => x)) t.Dispose();
        }
    }

    /// <summary>The <paramref name="q"/>-quantile (linear interpolation) over the first dimension of the concatenated effects.</summary>
    private static Tensor QuantileOf(List<Tensor> parts, double q, int heads, int rank)
    {
        if (parts.Count == 0 || parts.Sum(p => p.shape[0]) == 0) return zeros(heads, rank, dtype: ScalarType.Float64);
        var all = cat(parts, 0).to_type(ScalarType.Float64);                                     // [n, H, r]
        var (sorted, _) = all.sort(0);
        var position = q * (sorted.shape[0] - 1);
        var low = (long)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.shape[0] - 1);
        var t = position - low;
        return sorted[low] * (1 - t) + sorted[high] * t;
    }

    /// <summary>
    /// One forward and one backward pass over a batch whose first <paramref name="clean"/> rows are clean and the rest their
    /// corruptions. Returns each decomposition's effects [B, W, H, r] (float64), the positions where both rows hold real
    /// tokens [B, W], the clean rows' token mask [B, W] (bool) and, per decomposition, where its input is identical in
    /// both rows [B, W] (bool, Δx = 0). Tensors live in the caller's dispose scope.
    /// </summary>
    public static (Tensor[] Effects, Tensor Valid, Tensor CleanMask, Tensor[] Unchanged) BatchEffects(
        LanguageModel model, ProjectionRecorder recorder, IReadOnlyList<ProjectionDecomposition> decompositions, AnswerBatch batch, int clean)
    {
        var logits = model.Model.forward(batch.InputIds, batch.AttentionMask, null);              // [2B, W, V]
        var loss = -AnswerObjective.TokenLogProbabilities(logits, batch).narrow(0, 0, clean).sum();
        var outputs = decompositions.Select(d => recorder.Output(d.Id)).ToArray();
        var gradients = autograd.grad([loss], outputs, allow_unused: true);
        var mask = batch.AttentionMask.to_type(ScalarType.Bool);
        var cleanMask = mask.narrow(0, 0, clean);
        var valid = cleanMask.logical_and(mask.narrow(0, clean, clean));
        var effects = new Tensor[decompositions.Count];
        var same = new Tensor[decompositions.Count];
        for (var k = 0; k < decompositions.Count; k++)
        {
            var d = decompositions[k];
            var x = recorder.Input(d.Id).to_type(ScalarType.Float64);                              // [2B, W, in]
            var dx = x.narrow(0, clean, clean) - x.narrow(0, 0, clean);                          // [B, W, in]
            var g = gradients[k] is { } gk ? gk.narrow(0, 0, clean).to_type(ScalarType.Float64)  // [B, W, out]
                : zeros([clean, x.shape[1], d.OutputSize], dtype: ScalarType.Float64, device: x.device);
            effects[k] = Effects(d, dx, g);
            same[k] = dx.abs().amax(-1).eq(0);
        }
        return (effects, valid, cleanMask, same);
    }

    /// <summary>effect[b, w, h, i] = s_hi · (u_hiᵀ·Δx[b, w]) · (v_hiᵀ·g[b, w]).</summary>
    /// <param name="dx">[B, W, in] float64</param>
    /// <param name="g">[B, W, out] float64</param>
    /// <returns>[B, W, H, r] float64</returns>
    public static Tensor Effects(ProjectionDecomposition d, Tensor dx, Tensor g)
    {
        using var scope = NewDisposeScope();
        var a = einsum("bwhi,hir->bwhr", d.InputPerHead(dx), d.U);                               // [B, W, H, r]
        var b = einsum("bwho,hor->bwhr", d.OutputPerHead(g), d.V);                               // [B, W, H, r]
        return (a * b * d.S).MoveToOuterDisposeScope();
    }

    private static double[][] Rows(Tensor matrix)
    {
        var flat = matrix.contiguous().data<double>().ToArray();
        var width = (int)matrix.shape[1];
        return Enumerable.Range(0, (int)matrix.shape[0]).Select(h => flat.AsSpan(h * width, width).ToArray()).ToArray();
    }
}
