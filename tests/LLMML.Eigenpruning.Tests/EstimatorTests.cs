using LLMML.Eigenpruning.Transforms;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Hooks;
using LLMML.MLNet.Evaluation;
using LLMML.Scoring.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Tests;

public class EstimatorTests
{
    private static readonly string[] Digits = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray();

    [Fact]
    public void PruningNothingLeavesEveryOutputUnchanged()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        var data = Rows(ml, 8);
        var options = Options(o => o.Threshold = -1e300);
        using var pruned = ml.Llm().Eigenprune(options, lm).Fit(data);
        using var reference = ml.Llm().ScoreAnswers(new ScoreAnswersOptions { AnswerSet = Digits }, lm).Fit(data);

        pruned.Report.Pruned.Should().BeEmpty();
        Scores(pruned.Transform(data)).Should().BeEquivalentTo(Scores(reference.Transform(data)), o => o.WithStrictOrdering());
        using var ids = tensor(new long[] { 4, 5, 6, 7 }, [1, 4]);
        using var noGrad = no_grad();
        pruned.Model.Model.forward(ids).allclose(lm.Model.forward(ids), 0, 0).Should().BeTrue();
    }

    [Fact]
    public void FitPrunesACopyAndReportsEveryMatrix()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        using var before = lm.Clone();
        var updates = new List<LLMML.Foundation.Progress.ProgressUpdate>();
        var options = Options(o => o.Progress = new LLMML.Foundation.Progress.SynchronousProgress(updates.Add));
        using var pruned = ml.Llm().Eigenprune(options, lm).Fit(Rows(ml, 8));

        var layer = pruned.Report.Pruned[0].Id.Projection.Layer;
        using var original = ModelWeights.Get(before.Model, layer, WeightKind.Key);
        using var untouched = ModelWeights.Get(lm.Model, layer, WeightKind.Key);
        untouched.Weight.allclose(original.Weight, 0, 0).Should().BeTrue("the model given to the estimator must not change");
        using var changed = ModelWeights.Get(pruned.Model.Model, layer, WeightKind.Key);
        changed.Weight.allclose(original.Weight, 0, 0).Should().BeFalse();

        var report = pruned.Report;
        report.Matrices.Should().HaveCount(2 * 4);                 // 2 layers × 4 key heads, rank 4 each
        report.Candidates.Should().Be(32);
        report.Pruned.Should().HaveCount(6);                        // ⌊0.2 · 32⌋
        report.Matrices.Sum(m => m.Pruned).Should().Be(6);
        report.Pruned.Select(p => p.Score).Should().BeInAscendingOrder();
        report.Diagnostics!.Sum(d => d.ZeroScores + d.NegativeScores + d.PositiveScores).Should().Be(32);
        var frame = report.ToDataFrame();
        frame.Rows.Count.Should().Be(8);
        frame.Columns.Select(c => c.Name).Should().Contain(["layer", "kind", "head", "rank", "pruned", "scoreMax", "prunedEnergy"]);
        updates.Should().Contain(u => u.Stage == "score singular values" && u.Completed == 8 && u.Total == 8);
    }

    [Fact]
    public void EveryPrunedScoreIsAtMostEveryKeptScore()
    {
        using var lm = TinyTask.Model(scale: 5);
        var train = TinyTask.Examples(lm, 8);
        var options = Options(o => { o.Matrices = [WeightKind.Key, WeightKind.MlpIn]; o.Fraction = 0.3; });
        using var scores = Eigenpruner.Score(lm, train, options.Settings);
        using var copy = lm.Clone();
        var report = scores.Prune(copy, Ablation.Mean, 0.3);
        var pruned = report.Pruned.Select(p => p.Id).ToHashSet();
        var all = scores.Attribution.All().ToArray();
        pruned.Should().HaveCount((int)Math.Floor(0.3 * all.Length));
        var maxPruned = all.Where(v => pruned.Contains(v.Id)).Max(v => v.Score);
        var minKept = all.Where(v => !pruned.Contains(v.Id)).Min(v => v.Score);
        maxPruned.Should().BeLessThanOrEqualTo(minKept);
        report.Pruned.Select(p => p.Score).Should().Equal(all.Select(v => v.Score).Order().Take(pruned.Count));
    }

    [Fact]
    public void ScoresDoNotDependOnTheBatchSizeEvenAtOne()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        var data = Rows(ml, 7);
        using var one = ml.Llm().Eigenprune(Options(o => o.BatchSize = 1), lm).Fit(data);
        using var three = ml.Llm().Eigenprune(Options(o => o.BatchSize = 3), lm).Fit(data);
        var a = one.Report.Matrices.Select(m => m.ScoreMax).ToArray();
        var b = three.Report.Matrices.Select(m => m.ScoreMax).ToArray();
        a.Should().OnlyContain(v => v != 0, "every example is compared with a different one, also at batch size 1");
        for (var i = 0; i < a.Length; i++) a[i].Should().BeApproximately(b[i], 1e-9);
        one.Report.Pruned.Select(p => p.Id).Should().Equal(three.Report.Pruned.Select(p => p.Id));
    }

    [Theory]
    [InlineData(WeightKind.Key)]
    [InlineData(WeightKind.Output)]
    [InlineData(WeightKind.MlpOut)]
    public void TheFoldedBiasIsTheMeanContributionOfTheRemovedDirections(WeightKind kind)
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        var rows = Rows(ml, 6);
        // Batches of 2 over 6 rows: the mean must cover every batch and every position, not the last batch's.
        using var pruned = ml.Llm().Eigenprune(Options(o => { o.Matrices = [kind]; o.Fraction = 0.5; o.BatchSize = 2; }), lm).Fit(rows);
        var meanInput = NaiveMeanInput(lm, rows, new ProjectionId(1, kind));
        using var original = ModelWeights.Get(lm.Model, 1, kind);
        using var edited = ModelWeights.Get(pruned.Model.Model, 1, kind);
        using var removed = original.Weight.to_type(ScalarType.Float64) - edited.Weight.to_type(ScalarType.Float64);   // Σ s_i u_i v_iᵀ
        using var expected = original.Bias!.to_type(ScalarType.Float64) + tensor(meanInput).matmul(removed);
        edited.Bias!.to_type(ScalarType.Float64).allclose(expected, 1e-5, 1e-5).Should().BeTrue();
        removed.abs().max().item<double>().Should().BeGreaterThan(1e-3, "half of the singular values were removed");
    }

    [Fact]
    public void ZeroAblationLeavesTheBias()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        using var pruned = ml.Llm().Eigenprune(Options(o => { o.Ablation = Ablation.Zero; o.Fraction = 0.5; }), lm).Fit(Rows(ml, 6));
        using var original = ModelWeights.Get(lm.Model, 0, WeightKind.Key);
        using var edited = ModelWeights.Get(pruned.Model.Model, 0, WeightKind.Key);
        edited.Bias!.allclose(original.Bias!, 0, 0).Should().BeTrue();
        edited.Weight.allclose(original.Weight, 0, 0).Should().BeFalse();
    }

    [Fact]
    public void TransformFeedsMulticlassEvaluation()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        var data = Rows(ml, 8);
        using var pruned = ml.Llm().Eigenprune(Options(o => o.Generate = true), lm).Fit(data);
        var scored = pruned.Transform(data);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        // Independent: the arg-max of each Score vector against the key Label (1-based keys over the ten digits).
        var predicted = Scores(scored).Select(v => Array.IndexOf(v, v.Max())).ToArray();
        var labels = data.GetColumn<uint>("Label").Select(l => (int)l - 1).ToArray();
        var expected = predicted.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
        metrics.MicroAccuracy.Should().BeApproximately(expected, 1e-12);
        labels.Should().OnlyContain(l => l >= 0 && l < 10);
        scored.Schema.GetColumnOrNull(LlmMetrics.GeneratedColumn).Should().NotBeNull();
        scored.Schema.GetColumnOrNull(LlmMetrics.AnswerLogLikelihoodColumn).Should().NotBeNull();
    }

    internal static EigenpruneOptions Options(Action<EigenpruneOptions>? change = null)
    {
        var options = new EigenpruneOptions { AnswerSet = Digits, BatchSize = 4, Seed = 3 };
        change?.Invoke(options);
        return options;
    }

    /// <summary>"i x j =" → i·j mod 10, with a key Label over the ten digits.</summary>
    internal static IDataView Rows(MLContext ml, int count, int seed = 2)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, count).Select(_ =>
        {
            int i = random.Next(20), j = random.Next(20);
            return new Row { Prompt = $"{i} x {j} =", Answer = (i * j % 10).ToString(), Label = (uint)(i * j % 10) };
        }).ToArray();
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), 10);
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

    internal static float[][] Scores(IDataView scored) =>
        scored.GetColumn<VBuffer<float>>(scored.Schema["Score"]).Select(v => v.DenseValues().ToArray()).ToArray();

    /// <summary>The projection's input averaged over every real token of every training row, one row per forward pass.</summary>
    private static double[] NaiveMeanInput(LLMML.LanguageModels.Generation.LanguageModel lm, IDataView data, ProjectionId id)
    {
        var prompts = data.GetColumn<string>("Prompt").ToArray();
        var answers = data.GetColumn<string>("Answer").ToArray();
        var sum = new double[ModelWeights.Get(lm.Model, id.Layer, id.Kind).Weight.shape[0]];
        long tokens = 0;
        using var recorder = new ProjectionRecorder(lm.Model, [id]);
        for (var r = 0; r < prompts.Length; r++)
        {
            var e = lm.EncodeContinuation(prompts[r], " " + answers[r] + "\n");
            var sequence = e.Prompt.Concat(e.Answer[..^1]).Select(x => (long)x).ToArray();   // the inputs a teacher-forced pass reads
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            lm.Model.forward(tensor(sequence, [1, sequence.Length]));
            var x = recorder.Input(id)[0].to_type(ScalarType.Float64);                        // [T, in]
            for (var t = 0; t < sequence.Length; t++)
            {
                var row = x[t].data<double>().ToArray();
                for (var k = 0; k < sum.Length; k++) sum[k] += row[k];
            }
            tokens += sequence.Length;
        }
        return sum.Select(s => s / tokens).ToArray();
    }

    internal sealed class Row
    {
        public string Prompt { get; set; } = "";
        public string Answer { get; set; } = "";
        public uint Label { get; set; }
    }
}
