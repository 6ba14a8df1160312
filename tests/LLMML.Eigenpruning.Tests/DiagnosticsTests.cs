using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Hooks;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Tests;

/// <summary>Positions with Δx = 0, the diagnostics that count them, and the options that leave them out.</summary>
public class DiagnosticsTests
{
    private static readonly WeightKind[] Kinds = [WeightKind.Query, WeightKind.Key, WeightKind.Value, WeightKind.Output, WeightKind.MlpIn, WeightKind.MlpOut];

    /// <summary>Prompts that share prefixes of several lengths (and one pair differing only in its first character).</summary>
    private static PromptAnswerTokens[] SharedPrefixExamples(LLMML.LanguageModels.Generation.LanguageModel lm) =>
        new[] { ("12 x 3 =", " 6\n"), ("12 x 4 =", " 8\n"), ("12 x 5 =", " 0\n"), ("3 x 12 =", " 6\n"), ("13 x 3 =", " 9\n"), ("7 x 8 =", " 6\n"), ("7 x 9 =", " 3\n") }
            .Select(p => lm.EncodeContinuation(p.Item1, p.Item2)).ToArray();

    [Fact]
    public void UnchangedPositionsAreCountedExactlyAsNaiveTokenComparisonPredicts()
    {
        using var lm = TinyTask.Model(scale: 3);
        var examples = SharedPrefixExamples(lm);
        var settings = new EigenpruneSettings { Matrices = Kinds, Seed = 3, BatchSize = 3 };
        using var scores = Eigenpruner.Score(lm, examples, settings);
        var partner = CorruptionPairs.Build(examples, Corruption.Cycle, 3, 1);

        // Positions come from the mask, so row a's token t and row b's token t' share a column iff t' = t + |Pb| − |Pa|.
        // Δx = 0 in every layer where the whole history (tokens and positions) is equal; for layer-0 q/k/v, whose input
        // is LN(token + position embedding), wherever the token and its position are equal.
        long prefix = 0, sameToken = 0, positions = 0;
        for (var a = 0; a < examples.Length; a++)
        {
            int[] x = [.. examples[a].Prompt, .. examples[a].Answer[..^1]], y = [.. examples[partner[a]].Prompt, .. examples[partner[a]].Answer[..^1]];
            var shift = examples[partner[a]].Prompt.Length - examples[a].Prompt.Length;
            for (var t = 0; t < x.Length; t++)
            {
                var u = t + shift;
                if (u < 0 || u >= y.Length) continue;
                positions++;
                if (shift != 0) continue;
                if (x[t] == y[u]) sameToken++;
                if (x.AsSpan(0, t + 1).SequenceEqual(y.AsSpan(0, t + 1))) prefix++;
            }
        }
        prefix.Should().BeGreaterThan(0, "the examples were built to share prefixes");
        sameToken.Should().BeGreaterThan(prefix, "layer-0 inputs also coincide after a difference");
        var report = EigenpruneReport.Diagnose(scores.Attribution);
        scores.Attribution.Positions.Should().Be(positions);
        foreach (var d in report)
        {
            var expected = d.Layer == 0 && d.Kind is "q" or "k" or "v" ? sameToken : prefix;
            d.UnchangedPositions.Should().Be(expected, $"L{d.Layer}.{d.Kind}");
            (d.ZeroScores + d.NegativeScores + d.PositiveScores).Should().Be(d.Values);
        }
    }

    [Fact]
    public void LeavingOutUnchangedPositionsOnlyDropsZeroEffects()
    {
        using var lm = TinyTask.Model(scale: 3);
        var examples = SharedPrefixExamples(lm);
        var settings = new EigenpruneSettings { Matrices = Kinds, Seed = 3, BatchSize = 4 };
        using var meanAll = Eigenpruner.Score(lm, examples, settings with { Reduction = EffectReduction.Mean });
        using var meanChanged = Eigenpruner.Score(lm, examples, settings with { Reduction = EffectReduction.Mean, ExcludeUnchangedPositions = true });
        using var maxAll = Eigenpruner.Score(lm, examples, settings);
        using var maxChanged = Eigenpruner.Score(lm, examples, settings with { ExcludeUnchangedPositions = true });
        meanAll.Attribution.Projections.Should().OnlyContain(p => p.UnchangedPositions > 0, "the examples share prefixes, so the identity below is not trivial");
        for (var k = 0; k < meanAll.Attribution.Projections.Count; k++)
        {
            var p = meanAll.Attribution.Projections[k];
            double n = p.Positions, m = p.Positions - p.UnchangedPositions;
            var a = p.All().Select(v => v.Score).ToArray();
            var b = meanChanged.Attribution.Projections[k].All().Select(v => v.Score).ToArray();
            // The effect is exactly 0 at Δx = 0, so the sums agree: mean_all · n = mean_changed · m.
            for (var i = 0; i < a.Length; i++) (a[i] * n).Should().BeApproximately(b[i] * m, 1e-9 * Math.Max(1, Math.Abs(a[i] * n)));
            var c = maxAll.Attribution.Projections[k].All().Select(v => v.Score).ToArray();
            var d = maxChanged.Attribution.Projections[k].All().Select(v => v.Score).ToArray();
            for (var i = 0; i < c.Length; i++)
            {
                d[i].Should().BeLessThanOrEqualTo(c[i]);
                if (c[i] > 0) d[i].Should().Be(c[i], "a positive maximum was reached at a changed position");
            }
        }
    }

    [Fact]
    public void TheQuantileReductionSpansMinToMax()
    {
        using var lm = TinyTask.Model(scale: 3);
        var examples = TinyTask.Examples(lm, 6);
        var settings = new EigenpruneSettings { Matrices = [WeightKind.Key, WeightKind.MlpOut], Seed = 3, BatchSize = 4 };
        using var max = Eigenpruner.Score(lm, examples, settings);
        using var q1 = Eigenpruner.Score(lm, examples, settings with { Reduction = EffectReduction.Quantile, Quantile = 1 });
        using var q5 = Eigenpruner.Score(lm, examples, settings with { Reduction = EffectReduction.Quantile, Quantile = 0.5 });
        var a = max.Attribution.All().Select(v => v.Score).ToArray();
        var b = q1.Attribution.All().Select(v => v.Score).ToArray();
        var c = q5.Attribution.All().Select(v => v.Score).ToArray();
        for (var i = 0; i < a.Length; i++)
        {
            b[i].Should().BeApproximately(a[i], 1e-6 * Math.Max(1e-6, Math.Abs(a[i])), "the 1-quantile is the maximum (float32 storage)");
            c[i].Should().BeLessThanOrEqualTo(b[i] + 1e-9);
        }
        c.Zip(b).Count(p => p.First < p.Second).Should().BeGreaterThan(a.Length / 2);
    }

    [Fact]
    public void KeyMeanAblationEqualsZeroAblationUnderAbsolutePositions()
    {
        // A constant shift of every key adds q·c to all of a query's logits, which the softmax cancels (learned absolute
        // positions; not so under rotary embeddings, which rotate the shift per position).
        using var lm = TinyTask.Model(scale: 5);
        var train = TinyTask.Examples(lm, 8);
        var settings = new EigenpruneSettings { Matrices = [WeightKind.Key], Fraction = 0.5, Seed = 3 };
        using var mean = lm.Clone();
        using var zero = lm.Clone();
        Eigenpruner.Prune(mean, train, settings);
        Eigenpruner.Prune(zero, train, settings with { Ablation = Ablation.Zero });
        using var bm = ModelWeights.Get(mean.Model, 1, WeightKind.Key);
        using var bz = ModelWeights.Get(zero.Model, 1, WeightKind.Key);
        bm.Bias!.allclose(bz.Bias!, 1e-4, 1e-4).Should().BeFalse("the mean was folded into the key bias");
        using var ids = tensor(new long[] { 4, 5, 6, 7, 8, 9, 10 }, [1, 7]);
        using var noGrad = no_grad();
        mean.Model.forward(ids).allclose(zero.Model.forward(ids), 1e-5, 1e-5).Should().BeTrue();

        // The same for queries does change the logits: the equality is the softmax's, not a vacuous edit.
        using var qMean = lm.Clone();
        using var qZero = lm.Clone();
        Eigenpruner.Prune(qMean, train, settings with { Matrices = [WeightKind.Query] });
        Eigenpruner.Prune(qZero, train, settings with { Matrices = [WeightKind.Query], Ablation = Ablation.Zero });
        qMean.Model.forward(ids).allclose(qZero.Model.forward(ids), 1e-4, 1e-4).Should().BeFalse();
    }
}
