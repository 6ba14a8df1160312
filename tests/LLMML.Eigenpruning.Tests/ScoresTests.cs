using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Hooks;

namespace LLMML.Eigenpruning.Tests;

public class ScoresTests
{
    [Fact]
    public void OneScoringPassPrunesCopiesAsSeparateFitsWould()
    {
        using var lm = TinyTask.Model(scale: 5);
        var train = TinyTask.Examples(lm, 8);
        var options = EstimatorTests.Options(o => o.Matrices = [WeightKind.Key, WeightKind.MlpOut]);
        using var scores = Eigenpruner.Score(lm, train, options.Settings);
        foreach (var fraction in new[] { 0.1, 0.4 })
        {
            using var viaScores = lm.Clone();
            using var viaPrune = lm.Clone();
            var a = scores.Prune(viaScores, Ablation.Mean, fraction);
            options.Fraction = fraction;
            var b = Eigenpruner.Prune(viaPrune, train, options.Settings);
            a.Pruned.Select(p => p.Id).Should().Equal(b.Pruned.Select(p => p.Id));
            using var wa = ModelWeights.Get(viaScores.Model, 1, WeightKind.MlpOut);
            using var wb = ModelWeights.Get(viaPrune.Model, 1, WeightKind.MlpOut);
            wa.Weight.allclose(wb.Weight, 0, 0).Should().BeTrue();
            wa.Bias!.allclose(wb.Bias!, 0, 0).Should().BeTrue();
        }
        scores.Count.Should().Be(2 * (4 * 4 + 16));
    }

    [Fact]
    public void ScoresRefuseAModelWithOtherWeights()
    {
        using var lm = TinyTask.Model(scale: 5);
        using var other = TinyTask.Model(seed: 99, scale: 5);
        using var scores = Eigenpruner.Score(lm, TinyTask.Examples(lm, 6), EstimatorTests.Options().Settings);
        var prune = () => scores.Prune(other, Ablation.Mean);
        prune.Should().Throw<InvalidOperationException>().WithMessage("The weights of layer 0 Key are not those that were scored*");
    }

    [Fact]
    public void ScoringPruningAndBaselinesLeaveNoLiveTensors()
    {
        using var lm = TinyTask.Model(scale: 5);
        var train = TinyTask.Examples(lm, 6);
        var options = EstimatorTests.Options(o => o.Matrices = [WeightKind.Key, WeightKind.Output, WeightKind.MlpIn]);
        void Work()
        {
            using var copy = lm.Clone();
            var report = Eigenpruner.Prune(copy, train, options.Settings);
            foreach (var baseline in Comparison.EigenpruneComparison.AllBaselines())
            {
                using var other = lm.Clone();
                baseline.Adapt(other, new Baselines.BaselineContext(train, options.Settings, report, null, default));
            }
        }
        Work();
        var live = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 2; i++) Work();
        TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);
    }
}
