using LLMML.Complexity.Coding;
using LLMML.Complexity.Strategies;
using LLMML.Eigenpruning;
using LLMML.Eigenpruning.Transforms;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Hooks;

namespace LLMML.Complexity.Tests.Strategies;

public class EigenpruneMaskStrategyTests
{
    [Fact]
    public void AMaskCostsItsSubsetCodeAndMeanAblationItsHalfPrecisionBiases()
    {
        using var lm = TinyModels.Create(seed: 3, sharpen: 4);
        using var untouched = lm.Clone();
        var train = TinyModels.SumRows(12);
        var context = new StrategyContext("tiny", lm, train, TinyModels.SumRows(6, offset: 12), new ComplexityBudget { BatchSize = 4 });
        var strategy = new EigenpruneMaskStrategy([0.1, 0.25], [Ablation.Zero, Ablation.Mean], [WeightKind.Key, WeightKind.MlpOut]);

        // the same pruning done directly with the eigenpruning library
        var settings = new EigenpruneSettings { Matrices = [WeightKind.Key, WeightKind.MlpOut], BatchSize = 4, Seed = (int)context.Seed };
        using var scores = Eigenpruner.Score(lm, context.TrainTokens, settings);
        var n = 2 * (4 * 8 + 32);   // 2 layers × (4 key heads of rank 8 + the 32-rank MLP output)
        scores.Count.Should().Be(n);

        var configurations = new List<string>();
        foreach (var program in strategy.Programs(context))
        {
            configurations.Add(program.Configuration);
            var mean = program.Configuration.EndsWith("mean", StringComparison.Ordinal);
            var fraction = double.Parse(program.Configuration[2..program.Configuration.IndexOf(' ')], System.Globalization.CultureInfo.InvariantCulture);
            using var expected = lm.Clone();
            var report = scores.Prune(expected, mean ? Ablation.Mean : Ablation.Zero, fraction);
            var k = (int)Math.Floor(fraction * n);
            report.Pruned.Should().HaveCount(k);
            // 16 bits for each bias entry of every projection that lost a value (key: 32 outputs, MLP out: 32)
            var biasEntries = report.Pruned.Select(p => p.Id.Projection).Distinct().Sum(_ => 32);
            // Header: γ(k + 1), the ablation bit, one bit per weight kind (7).
            var header = EliasGamma.Length(k + 1) + 1 + Enum.GetValues<WeightKind>().Length;
            program.Length.PayloadBits.Should().Be(header + SubsetCode.Length(n, k) + (mean ? 16 * biasEntries : 0));
            program.Length.Code.Name.Should().Be("eigenprune.cs");
            foreach (var id in report.Pruned.Select(p => p.Id.Projection).Distinct())
            {
                using var got = ModelWeights.Get(program.Model.Model, id.Layer, id.Kind);
                using var want = ModelWeights.Get(expected.Model, id.Layer, id.Kind);
                got.Weight.allclose(want.Weight, 0, 0).Should().BeTrue($"{program.Configuration} {id}");
                // the program's bias is the half-precision version of eigenpruning's
                got.Bias!.allclose(want.Bias!, 1e-3, 1e-3).Should().BeTrue($"{program.Configuration} {id}");
            }
        }
        configurations.Should().Equal("f=0.1 zero", "f=0.25 zero", "f=0.1 mean", "f=0.25 mean");
        using var a = ModelWeights.Get(lm.Model, 0, WeightKind.Key);
        using var b = ModelWeights.Get(untouched.Model, 0, WeightKind.Key);
        a.Weight.allclose(b.Weight, 0, 0).Should().BeTrue("the strategy prunes copies");
    }
}
