using LLMML.Eigenpruning.Baselines;
using LLMML.Eigenpruning.Comparison;
using LLMML.Eigenpruning.Transforms;
using LLMML.Eigenpruning.Matrices;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Tests;

public class BaselineTests
{
    private static readonly WeightKind[] AllKinds = [WeightKind.Query, WeightKind.Key, WeightKind.Value, WeightKind.Output, WeightKind.MlpIn, WeightKind.MlpOut];

    [Fact]
    public void RandomPruningRemovesAsManySingularValuesAsEigenpruning()
    {
        using var lm = TinyTask.Model(scale: 10);
        var train = TinyTask.Examples(lm, 8);
        var options = EstimatorTests.Options(o => o.Fraction = 0.25);
        using var pruned = lm.Clone();
        var report = Eigenpruner.Prune(pruned, train, options.Settings);
        var a = Adapt(new RandomPruningBaseline(seed: 1), lm, train, options, report);
        var b = Adapt(new RandomPruningBaseline(seed: 2), lm, train, options, report);

        RankLoss(lm, a.Model, WeightKind.Key).Should().Be(report.Pruned.Count);
        RankLoss(lm, b.Model, WeightKind.Key).Should().Be(report.Pruned.Count);
        a.Run.Parameters.Should().Be(report.Pruned.Count);
        using var ka = ModelWeights.Get(a.Model.Model, 0, WeightKind.Key);
        using var kb = ModelWeights.Get(b.Model.Model, 0, WeightKind.Key);
        ka.Weight.allclose(kb.Weight).Should().BeFalse("another seed chooses other singular values");
        a.Model.Dispose();
        b.Model.Dispose();
    }

    [Fact]
    public void LaserTruncatesOneMatrixAndNeverScoresBelowTheOriginalOnItsSelectionSet()
    {
        using var lm = TinyTask.Model(scale: 10);
        var train = TinyTask.Examples(lm, 12);
        var laser = new LaserBaseline { KeptFractions = [0.5, 0.25] };
        var (model, run) = Adapt(laser, lm, train, EstimatorTests.Options(), null);
        using (model)
        {
            var before = AnswerEvaluator.Evaluate(lm, train);
            var after = AnswerEvaluator.Evaluate(model, train);
            (after.Accuracy > before.Accuracy || (after.Accuracy == before.Accuracy && after.MeanLogLikelihood >= before.MeanLogLikelihood - 1e-9))
                .Should().BeTrue($"LASER keeps the unmodified model unless a truncation scores better ({run.Details})");
            var changed = AllKinds.SelectMany(k => new[] { 0, 1 }.Select(l => new ProjectionId(l, k)))
                .Where(id => !Same(lm, model, id)).ToArray();
            changed.Length.Should().BeLessThanOrEqualTo(1);
            if (changed.Length == 1)
            {
                using var w = ModelWeights.Get(model.Model, changed[0].Layer, changed[0].Kind);
                var rank = Rank(w.Weight);
                rank.Should().BeOneOf(4, 8, 2, 1);   // half or a quarter of rank 16 (MLP) or 16 (attention, whole)
                run.Details.Should().Contain($"rank {rank}");
            }
        }
    }

    [Fact]
    public void LoraAndSingularValueTuningLowerTheTrainingLoss()
    {
        using var lm = TinyTask.Model(scale: 5);
        var train = TinyTask.Examples(lm, 12);
        var before = AnswerEvaluator.Evaluate(lm, train).MeanLogLikelihood;
        var options = EstimatorTests.Options(o => o.Matrices = AllKinds);
        var (lora, loraRun) = Adapt(new LoraBaseline { Steps = 60, BatchSize = 6, LearningRate = 1e-2 }, lm, train, options, null);
        var (svft, svftRun) = Adapt(new SingularValueTuningBaseline { Steps = 60, BatchSize = 6, LearningRate = 5e-2 }, lm, train, options, null);
        using (lora)
        using (svft)
        {
            AnswerEvaluator.Evaluate(lora, train).MeanLogLikelihood.Should().BeGreaterThan(before + 0.5);
            AnswerEvaluator.Evaluate(svft, train).MeanLogLikelihood.Should().BeGreaterThan(before + 0.5);
            // rank 1 on 6 projections of 2 layers: r·(in + out) each
            loraRun.Parameters.Should().Be(2 * (3 * (16 + 16) + (16 + 16) + (16 + 64) + (64 + 16)));
            svftRun.Parameters.Should().Be(2 * (4 * 4 * 4 + 16 + 16));
        }
    }

    [Fact]
    public void SingularValueTuningKeepsTheSingularVectors()
    {
        using var lm = TinyTask.Model(scale: 5);
        var train = TinyTask.Examples(lm, 8);
        var options = EstimatorTests.Options(o => o.Matrices = [WeightKind.Key, WeightKind.MlpOut]);
        var (svft, _) = Adapt(new SingularValueTuningBaseline { Steps = 30, BatchSize = 4 }, lm, train, options, null);
        using (svft)
            foreach (var id in new[] { new ProjectionId(1, WeightKind.Key), new ProjectionId(1, WeightKind.MlpOut) })
            {
                using var d = ProjectionDecomposition.Compute(lm.Model, id, perHead: true);
                using var w = ModelWeights.Get(svft.Model, id.Layer, id.Kind);
                using var blocks = d.Axis == HeadAxis.Output
                    ? w.Weight.to_type(ScalarType.Float64).view(w.Weight.shape[0], d.Heads, -1).permute(1, 0, 2)
                    : w.Weight.to_type(ScalarType.Float64).unsqueeze(0);
                using var core = d.U.transpose(1, 2).matmul(blocks).matmul(d.V);              // [H, r, r] = diag(s') if U, V are kept
                using var offDiagonal = core - core.diagonal(0, 1, 2).diag_embed();
                offDiagonal.abs().max().item<double>().Should().BeLessThan(1e-4, $"{id}");
                using var change = (core.diagonal(0, 1, 2) - d.S).abs().max();
                change.item<double>().Should().BeGreaterThan(1e-4, $"{id}: the singular values were trained");
            }
    }

    [Fact]
    public void ComparisonScoresEveryMethodOnTheSameTestExamples()
    {
        using var lm = TinyTask.Model(scale: 5);
        var train = TinyTask.Examples(lm, 10, seed: 1);
        var test = TinyTask.Examples(lm, 6, seed: 9);
        using var before = lm.Clone();
        // The extra score is the training log-likelihood of whatever model the comparison hands over, so each row's value
        // must match an independent evaluation of that method's result.
        double Extra(LanguageModel m) => AnswerEvaluator.Evaluate(m, train).MeanLogLikelihood;
        var report = EigenpruneComparison.Run(lm, train, test, EstimatorTests.Options().Settings,
            [new RandomPruningBaseline(), new LaserBaseline { KeptFractions = [0.5] }, new LoraBaseline { Steps = 5 }, new SingularValueTuningBaseline { Steps = 5 }],
            closedSetAccuracy: Extra);
        report.Methods.Select(m => m.Method).Should().Equal("original", "eigenprune", "random", "laser", "lora-r1", "svft-diag");
        report.Original.Accuracy.Should().Be(AnswerEvaluator.Evaluate(before, test).Accuracy);
        report.Original.ClosedSetAccuracy.Should().Be(Extra(before));
        using (var pruned = before.Clone())
        {
            Eigenpruner.Prune(pruned, train, EstimatorTests.Options().Settings);
            report.Eigenprune.ClosedSetAccuracy.Should().Be(Extra(pruned));
            report.Eigenprune.MeanLogLikelihood.Should().BeApproximately(AnswerEvaluator.Evaluate(pruned, test).MeanLogLikelihood, 1e-9);
        }
        using (var random = before.Clone())
        {
            new RandomPruningBaseline().Adapt(random, new BaselineContext(train, EstimatorTests.Options().Settings, report.EigenpruneReport, null, default));
            report.Baselines[0].ClosedSetAccuracy.Should().Be(Extra(random));
        }
        report.Eigenprune.ClosedSetAccuracy.Should().NotBe(report.Original.ClosedSetAccuracy, "the pruned model is another model");
        report.ToDataFrame().Rows.Count.Should().Be(6);
        Same(before, lm, new ProjectionId(0, WeightKind.Key)).Should().BeTrue("the comparison works on copies");
        report.ToJson().Should().Contain("\"eigenprune\"");
    }

    private static (LanguageModel Model, BaselineRun Run) Adapt(IAdaptationBaseline baseline, LanguageModel lm, PromptAnswerTokens[] train, EigenpruneOptions options, LLMML.Eigenpruning.Pruning.EigenpruneReport? report)
    {
        report ??= new LLMML.Eigenpruning.Pruning.EigenpruneReport([], [], train.Length, 0, options.Reduction, options.Ablation, 0, 0);
        var copy = lm.Clone();
        var run = baseline.Adapt(copy, new BaselineContext(train, options.Settings, report, null, default));
        return (copy, run);
    }

    /// <summary>Σ over key heads of (rank before − rank after).</summary>
    private static long RankLoss(LanguageModel original, LanguageModel edited, WeightKind kind)
    {
        long lost = 0;
        for (var layer = 0; layer < original.Config.NumLayers; layer++)
            for (var h = 0; h < ModelWeights.HeadCount(original.Config, kind); h++)
            {
                using var a = ModelWeights.Get(original.Model, layer, kind, h);
                using var b = ModelWeights.Get(edited.Model, layer, kind, h);
                lost += Rank(a.Weight)
                        - Rank(b.Weight);
            }
        return lost;
    }

    /// <summary>Singular values above 1e-5 of the largest (float32 weights leave ~1e-7 of a removed direction).</summary>
    private static long Rank(Tensor w)
    {
        using var s = linalg.svdvals(w.to_type(ScalarType.Float64));
        var values = s.data<double>().ToArray();
        return values.Count(v => v > 1e-5 * values[0]);
    }

    private static bool Same(LanguageModel a, LanguageModel b, ProjectionId id)
    {
        using var x = ModelWeights.Get(a.Model, id.Layer, id.Kind);
        using var y = ModelWeights.Get(b.Model, id.Layer, id.Kind);
        return x.Weight.allclose(y.Weight, 0, 0);
    }
}
