using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Tests;

/// <summary>
/// Ground truth: a tiny model whose answers are its own greedy continuations (100% accurate), then one known singular
/// direction planted in layer 1's MLP-out that pushes every position towards a wrong token. Eigenpruning must find that
/// direction and removing it must bring the accuracy back.
/// </summary>
public class PlantedDirectionTests
{
    [Fact]
    public void TheExactScorerFindsAPlantedHarmfulDirectionAndAccuracyRecovers()
    {
        var (lm, train, test, planted) = Planted();
        using (lm)
        {
            var before = AnswerEvaluator.Evaluate(lm, test).Accuracy;
            before.Should().BeLessThan(0.5, "the planted direction overrides the answers");
            // Zero ablation: the planted signal is mostly a constant push, which mean ablation would keep in the bias.
            var settings = new EigenpruneSettings
            {
                Matrices = [WeightKind.Key, WeightKind.Value, WeightKind.Output, WeightKind.MlpIn, WeightKind.MlpOut],
                Scorer = Scorer.Exact, Ablation = Ablation.Zero, Count = 1,
            };
            using var pruned = lm.Clone();
            var report = Eigenpruner.Prune(pruned, train, settings);
            report.Pruned.Should().ContainSingle().Which.Id.Should().Be(planted);
            AnswerEvaluator.Evaluate(pruned, test).Accuracy.Should().BeGreaterThan(0.9);

        }
    }

    /// <summary>The planted model, train and test examples it answered perfectly before planting, and the planted value's id.</summary>
    internal static (LanguageModel Model, PromptAnswerTokens[] Train, PromptAnswerTokens[] Test, SingularValueId Planted) Planted()
    {
        var lm = TinyTask.Model(seed: 11, scale: 3);
        var id = new ProjectionId(1, WeightKind.MlpOut);
        using var noGrad = no_grad();
        using var w = ModelWeights.Get(lm.Model, 1, WeightKind.MlpOut);                          // [64, 16], y = x·W + b
        var weight = w.Weight.to_type(ScalarType.Float64);
        var u = randn(weight.shape[0], dtype: ScalarType.Float64, generator: new Generator(1).manual_seed(1));
        u = u.abs() / u.norm();                                                                   // GELU outputs lean positive: x·u > 0 on average
        var embedding = lm.Model.TokenEmbedding.detach().to_type(ScalarType.Float64);             // [V, 16]
        var v = embedding[lm.Encode("9")[^1]] - embedding.mean([0]);
        v = v / v.norm();
        // Make u, v an exact singular pair: project them out of W, then add s·u·vᵀ with s above every other value.
        var projected = (eye(weight.shape[0], dtype: ScalarType.Float64) - u.outer(u)).matmul(weight).matmul(eye(weight.shape[1], dtype: ScalarType.Float64) - v.outer(v));
        ModelWeights.Set(lm.Model, 1, WeightKind.MlpOut, null, projected.to_type(ScalarType.Float32), w.Bias);
        var (train, test) = (GreedyExamples(lm, 24, 1), GreedyExamples(lm, 16, 2));
        AnswerEvaluator.Evaluate(lm, test).Accuracy.Should().Be(1.0);
        var top = linalg.svdvals(projected).max().item<double>();
        for (var s = 2 * top; ; s *= 2)
        {
            ModelWeights.Set(lm.Model, 1, WeightKind.MlpOut, null, (projected + s * u.outer(v)).to_type(ScalarType.Float32), w.Bias);
            if (AnswerEvaluator.Evaluate(lm, test).Accuracy < 0.5 || s > 1e4 * top) break;
        }
        return (lm, train, test, new SingularValueId(id, null, 0));
    }

    /// <summary>"i x j =" prompts answered with the model's own two greedy tokens.</summary>
    private static PromptAnswerTokens[] GreedyExamples(LanguageModel lm, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var prompt = lm.EncodeContinuation($"{random.Next(20)} x {random.Next(20)} =", " ").Prompt;
            var tokens = prompt.Select(t => (long)t).ToList();
            var answer = new int[2];
            for (var k = 0; k < 2; k++)
            {
                using var logits = lm.Model.forward(tensor(tokens.ToArray(), [1, tokens.Count]));
                answer[k] = (int)logits[0, -1].argmax().item<long>();
                tokens.Add(answer[k]);
            }
            return new PromptAnswerTokens(prompt, answer);
        }).ToArray();
    }
}
