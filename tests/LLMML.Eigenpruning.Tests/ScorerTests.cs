using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Baselines;
using LLMML.Eigenpruning.Comparison;
using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.Eigenpruning.Transforms;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Tests;

/// <summary>The exact scorer, the corruptions, the paper-compatible mode, validated selection and the smallest-magnitude control.</summary>
public class ScorerTests
{
    [Theory]
    [InlineData(Ablation.Zero)]
    [InlineData(Ablation.Mean)]
    public void ExactScoresEqualTheLossChangeOfEditingTheWeightsByHand(Ablation ablation)
    {
        using var lm = TinyTask.Model(scale: 3);
        var train = TinyTask.Examples(lm, 6);
        var settings = new EigenpruneSettings { Matrices = [WeightKind.Key, WeightKind.MlpOut], Layers = [1], Scorer = Scorer.Exact, Ablation = ablation, ExactExamples = 4 };
        using var scores = Eigenpruner.Score(lm, train, settings);
        var baseLoss = MeanNll(lm, train.Take(4).ToArray());
        var means = NaiveMeans(lm, train);
        foreach (var (kind, head, index) in new[] { (WeightKind.Key, (int?)2, 1), (WeightKind.MlpOut, null, 0), (WeightKind.MlpOut, null, 7) })
        {
            using var copy = lm.Clone();
            using (no_grad())
            {
                // Independent SVD of the head's block, y = x·W: W_h = U·diag(S)·Vᵀ, removed part s·u·vᵀ placed back in W.
                using var w = ModelWeights.Get(copy.Model, 1, kind);
                var block = head is { } h ? w.Weight.to_type(ScalarType.Float64).narrow(1, h * 4, 4) : w.Weight.to_type(ScalarType.Float64);
                var (u, s, vh) = linalg.svd(block, fullMatrices: false);
                var part = (u[.., index].unsqueeze(1) * s[index]).matmul(vh[index].unsqueeze(0));   // [in, out_h]
                var full = zeros_like(w.Weight, dtype: ScalarType.Float64);
                if (head is { } hh) full.narrow(1, hh * 4, 4).copy_(part);
                else full.copy_(part);
                var bias = ablation == Ablation.Mean ? w.Bias!.to_type(ScalarType.Float64) + tensor(means[kind]).matmul(full) : w.Bias!.to_type(ScalarType.Float64);
                ModelWeights.Set(copy.Model, 1, kind, null, (w.Weight.to_type(ScalarType.Float64) - full).to_type(ScalarType.Float32), bias.to_type(ScalarType.Float32));
            }
            var expected = MeanNll(copy, train.Take(4).ToArray()) - baseLoss;
            var id = new SingularValueId(new ProjectionId(1, kind), head, index);
            var actual = scores.Attribution.All().Single(v => v.Id == id).Score;
            actual.Should().BeApproximately(expected, 1e-4 + 1e-3 * Math.Abs(expected), id.ToString());
        }
        scores.Attribution.Scorer.Should().Be(Scorer.Exact);
    }

    [Fact]
    public void TheExactScorerRefusesMoreAblationsThanItsBudget()
    {
        using var lm = TinyTask.Model();
        var score = () => Eigenpruner.Score(lm, TinyTask.Examples(lm, 4), new EigenpruneSettings { Scorer = Scorer.Exact, ExactBudget = 10 });
        score.Should().Throw<ArgumentException>().WithMessage("The exact scorer would run 32 ablations*above ExactBudget = 10*");
    }

    [Fact]
    public void PaperCompatibleModeScoresZeroAndPrunesInEnumerationOrder()
    {
        using var lm = TinyTask.Model(scale: 3);
        var train = TinyTask.Examples(lm, 8);
        using var copy = lm.Clone();
        var report = Eigenpruner.Prune(copy, train, EigenpruneSettings.PaperCompatible());
        report.Diagnostics!.Should().OnlyContain(d => d.ZeroScores == d.Values && d.UnchangedPositions == d.Positions);
        // 2 layers × 4 heads × rank 4 = 32 keys; ⌊0.2·32⌋ = 6 in (layer, head, index) order: layer 0, head 0 then head 1.
        var key = new ProjectionId(0, WeightKind.Key);
        report.Pruned.Select(p => p.Id).Should().Equal(
            new SingularValueId(key, 0, 0), new SingularValueId(key, 0, 1), new SingularValueId(key, 0, 2), new SingularValueId(key, 0, 3),
            new SingularValueId(key, 1, 0), new SingularValueId(key, 1, 1));

        // Batch roll at size 2 pairs rows within a batch; the cycle never pairs a row with itself.
        CorruptionPairs.Build(train, Corruption.BatchRoll, 0, 2).Should().Equal(1, 0, 3, 2, 5, 4, 7, 6);
        CorruptionPairs.Build(train, Corruption.BatchRoll, 0, 3).Should().Equal(2, 0, 1, 5, 3, 4, 7, 6);
        CorruptionPairs.Build(train, Corruption.Cycle, 5, 1).Select((p, i) => p != i).Should().OnlyContain(x => x);
    }

    [Fact]
    public void SameLengthShufflePairsRowsOfEqualLengthsWheneverItCan()
    {
        using var lm = TinyTask.Model();
        var train = TinyTask.Examples(lm, 30, seed: 4);
        var partner = CorruptionPairs.Build(train, Corruption.SameLengthShuffle, 2, 1);
        var groups = train.GroupBy(e => (e.Prompt.Length, e.Answer.Length)).ToDictionary(g => g.Key, g => g.Count());
        groups.Values.Should().Contain(c => c >= 2);
        for (var i = 0; i < train.Length; i++)
        {
            partner[i].Should().NotBe(i);
            if (groups[(train[i].Prompt.Length, train[i].Answer.Length)] >= 2)
                (train[partner[i]].Prompt.Length, train[partner[i]].Answer.Length).Should().Be((train[i].Prompt.Length, train[i].Answer.Length));
        }
    }

    [Fact]
    public void ACounterfactualEqualToTheExampleScoresZeroAndTheCueSwapIsNamed()
    {
        using var lm = TinyTask.Model(scale: 3);
        var train = TinyTask.Examples(lm, 5);
        using var same = Eigenpruner.Score(lm, train, new EigenpruneSettings { Corruption = Corruption.Counterfactual }, counterfactuals: train);
        same.Attribution.All().Should().OnlyContain(v => v.Score == 0);
        using var other = Eigenpruner.Score(lm, train, new EigenpruneSettings { Corruption = Corruption.Counterfactual }, counterfactuals: train.Reverse().ToArray());
        other.Attribution.All().Should().Contain(v => v.Score != 0);
        var missing = () => Eigenpruner.Score(lm, train, new EigenpruneSettings { Corruption = Corruption.Counterfactual });
        missing.Should().Throw<ArgumentException>().WithMessage("*needs one counterfactual per example*");

        var options = new EigenpruneOptions { Corruption = Corruption.Counterfactual, CounterfactualSwap = ["mul:", "add:"] };
        options.Counterfactual("mul: 7 x 8 =", 0).Should().Be("add: 7 x 8 =");
        options.Counterfactual("add: 7 x 8 =", 1).Should().Be("mul: 7 x 8 =");
        var none = () => options.Counterfactual("7 x 8 =", 4);
        none.Should().Throw<ArgumentException>().WithMessage("Row 4: the prompt '7 x 8 =' contains neither 'mul:' nor 'add:'*");
    }

    [Fact]
    public void ValidatedSelectionKeepsTheCountThatDoesBestOnHeldOutRows()
    {
        using var lm = TinyTask.Model(scale: 3);
        var train = TinyTask.Examples(lm, 12);
        var settings = new EigenpruneSettings { Matrices = [WeightKind.Key, WeightKind.MlpIn], ValidateCounts = [2, 8, 30], ValidationFraction = 0.34, Seed = 1 };
        using var copy = lm.Clone();
        var report = Eigenpruner.Prune(copy, train, settings);
        report.Validation!.Select(p => p.Count).Should().Equal(0, 2, 8, 30);
        var (fit, held) = Eigenpruner.ValidationSplit(train.Length, settings);
        fit.Should().HaveCount(8);
        held.Should().HaveCount(4).And.NotIntersectWith(fit);
        // Independent check of each point: prune that many from a fresh copy and evaluate the held-out rows.
        using var scores = Eigenpruner.Score(lm, fit.Select(i => train[i]).ToArray(), settings);
        foreach (var point in report.Validation!)
        {
            using var other = lm.Clone();
            scores.Prune(other, settings.Ablation, count: point.Count);
            AnswerEvaluator.Evaluate(other, held.Select(i => train[i]).ToArray()).MeanLogLikelihood.Should().BeApproximately(point.MeanLogLikelihood, 1e-9);
        }
        var best = report.Validation!.OrderByDescending(p => p.Accuracy).ThenByDescending(p => p.MeanLogLikelihood).First();
        report.Pruned.Should().HaveCount(best.Count);
        var both = () => new EigenpruneSettings { ValidateCounts = [1], Count = 2 }.Validate();
        both.Should().Throw<ArgumentException>().WithMessage("ValidateCounts chooses the count itself*");
    }

    [Fact]
    public void SmallestMagnitudeRemovesTheSmallestSingularValues()
    {
        using var lm = TinyTask.Model(scale: 3);
        var train = TinyTask.Examples(lm, 6);
        var settings = new EigenpruneSettings { Matrices = [WeightKind.Key, WeightKind.MlpOut], Ablation = Ablation.Zero };
        var count = new EigenpruneReport([], Enumerable.Range(0, 9).Select(i => new PrunedSingularValue(default, 0, 0)).ToArray(), 6, 0, EffectReduction.Max, Ablation.Zero, 0, 0);
        using var copy = lm.Clone();
        var run = new SmallestMagnitudeBaseline().Adapt(copy, new BaselineContext(train, settings, count, null, default));
        run.Parameters.Should().Be(9);
        // Independent: all singular values of every key head and the MLP-out matrices, before and after.
        double[] Spectrum(LanguageModel m) => new[] { 0, 1 }.SelectMany(l =>
            Enumerable.Range(0, 4).SelectMany(h => Svals(m, l, WeightKind.Key, h)).Concat(Svals(m, l, WeightKind.MlpOut, null))).ToArray();
        var before = Spectrum(lm).Order().ToArray();
        var after = Spectrum(copy).Order().ToArray();
        after.Take(9).Should().OnlyContain(v => v < 1e-5);
        for (var i = 9; i < before.Length; i++) after[i].Should().BeApproximately(before[i], 1e-4);
    }

    [Fact]
    public void AgreementMeasuresMatchTheirDefinitions()
    {
        var random = new Random(3);
        var a = Enumerable.Range(0, 50).Select(_ => Math.Round(random.NextDouble(), 1)).ToArray();   // ties on purpose
        var b = a.Select(x => x + random.NextDouble() * 0.3).ToArray();
        ScoreAgreement.Spearman(a, b).Should().BeApproximately(TinyTask.Spearman(a, b), 1e-12);
        ScoreAgreement.Spearman(a, a.Select(x => -x).ToArray()).Should().BeApproximately(-1, 1e-12);
        var id = (int i) => new SingularValueId(new ProjectionId(0, WeightKind.Key), 0, i);
        ScoreAgreement.Jaccard([id(1), id(2), id(3)], [id(2), id(3), id(4), id(5)]).Should().BeApproximately(2.0 / 5, 1e-12);
        var x = new AttributionResult([new ProjectionAttribution(new ProjectionId(0, WeightKind.Key), [[3, 1, 2, 0]], [[4, 3, 2, 1]], [], HeadAxis.Output)], 1, 1, EffectReduction.Max);
        var y = new AttributionResult([new ProjectionAttribution(new ProjectionId(0, WeightKind.Key), [[0, 1, 3, 2]], [[4, 3, 2, 1]], [], HeadAxis.Output)], 1, 1, EffectReduction.Max);
        var (rho, overlap) = ScoreAgreement.Compare(x, y, 2);
        rho.Should().BeApproximately(TinyTask.Spearman([3, 1, 2, 0], [0, 1, 3, 2]), 1e-12);
        overlap.Should().Be(0.5);                                                                  // lowest two: {3, 1} and {0, 1}
        ScoreAgreement.Highest(x, 1).Should().Equal(new SingularValueId(new ProjectionId(0, WeightKind.Key), 0, 0));
    }

    private static IEnumerable<double> Svals(LanguageModel m, int layer, WeightKind kind, int? head)
    {
        using var w = ModelWeights.Get(m.Model, layer, kind, head);
        using var s = linalg.svdvals(w.Weight.to_type(ScalarType.Float64));
        return s.data<double>().ToArray();
    }

    private static double MeanNll(LanguageModel lm, PromptAnswerTokens[] examples) =>
        -AnswerEvaluator.Evaluate(lm, examples).Scores.Sum(s => s.LogLikelihood) / examples.Length;

    /// <summary>Each layer-1 projection's mean input over every real token, from one-row forward passes.</summary>
    private static Dictionary<WeightKind, double[]> NaiveMeans(LanguageModel lm, PromptAnswerTokens[] examples)
    {
        var result = new Dictionary<WeightKind, double[]>();
        foreach (var kind in new[] { WeightKind.Key, WeightKind.MlpOut })
        {
            var id = new ProjectionId(1, kind);
            using var recorder = new ProjectionRecorder(lm.Model, [id]);
            using var noGrad = no_grad();
            double[]? sum = null;
            long tokens = 0;
            foreach (var e in examples)
            {
                var sequence = e.Prompt.Concat(e.Answer[..^1]).Select(x => (long)x).ToArray();
                lm.Model.forward(tensor(sequence, [1, sequence.Length]));
                var x = recorder.Input(id)[0].to_type(ScalarType.Float64).sum(dim: 0).data<double>().ToArray();
                sum ??= new double[x.Length];
                for (var k = 0; k < x.Length; k++) sum[k] += x[k];
                tokens += sequence.Length;
                recorder.Clear();
            }
            result[kind] = sum!.Select(v => v / tokens).ToArray();
        }
        return result;
    }
}
