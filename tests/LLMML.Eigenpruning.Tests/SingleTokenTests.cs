using LLMML.Eigenpruning.Transforms;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Tests;

/// <summary>The paper's setting: GPT-2's tokenizer, where " 7" is one token, and the loss and accuracy at the last position.</summary>
public class SingleTokenTests
{
    [Fact]
    public void SingleTokenAnswersUnderGpt2BpeAreScoredAtTheLastPosition()
    {
        manual_seed(4);
        using var lm = new LanguageModel(new CausalLanguageModel(TransformerConfig.Gpt2(16, 2, 4, 50257, 32)), TokenizerStore.Gpt2Tiktoken());
        var ml = new MLContext(seed: 1);
        var data = EstimatorTests.Rows(ml, 8);
        var options = EstimatorTests.Options(o => { o.SingleTokenAnswers = true; o.AnswerTerminator = ""; });
        using var pruned = ml.Llm().Eigenprune(options, lm).Fit(data);
        // ⌊20%⌋ of the 2 layers × 4 key heads × rank 4 values, and the keys the model computes are the pruned ones.
        pruned.Report.Pruned.Should().HaveCount(6);
        using (var originalKeys = LLMML.LanguageModels.Hooks.ModelWeights.Get(lm.Model, pruned.Report.Pruned[0].Id.Projection.Layer, LLMML.LanguageModels.Hooks.WeightKind.Key))
        using (var prunedKeys = LLMML.LanguageModels.Hooks.ModelWeights.Get(pruned.Model.Model, pruned.Report.Pruned[0].Id.Projection.Layer, LLMML.LanguageModels.Hooks.WeightKind.Key))
        using (var removed = originalKeys.Weight.to_type(ScalarType.Float64) - prunedKeys.Weight.to_type(ScalarType.Float64))
        {
            // What was removed from that layer is Σ s_i of its pruned values in Frobenius norm² (orthonormal singular vectors).
            var layer = pruned.Report.Pruned[0].Id.Projection.Layer;
            var expected = pruned.Report.Pruned.Where(p => p.Id.Projection.Layer == layer).Sum(p => p.SingularValue * p.SingularValue);
            removed.pow(2).sum().item<double>().Should().BeApproximately(expected, 1e-4 * Math.Max(1, expected));
        }

        // Accuracy = arg-max over the whole vocabulary at the prompt's last position equals the answer token.
        var prompts = data.GetColumn<string>("Prompt").ToArray();
        var answers = data.GetColumn<string>("Answer").ToArray();
        var examples = prompts.Select((p, i) => pruned.Model.EncodeContinuation(p, " " + answers[i])).ToArray();
        examples.Should().OnlyContain(e => e.Answer.Length == 1);
        var scores = AnswerEvaluator.Evaluate(pruned.Model, examples).Scores;
        using var noGrad = no_grad();
        for (var i = 0; i < examples.Length; i++)
        {
            using var logits = pruned.Model.Model.forward(tensor(examples[i].Prompt.Select(x => (long)x).ToArray(), [1, examples[i].Prompt.Length]));
            var argmax = logits[0, -1].argmax().item<long>();
            scores[i].Correct.Should().Be(argmax == examples[i].Answer[0], $"row {i}");
            scores[i].LogLikelihood.Should().BeApproximately(logits[0, -1].log_softmax(0)[examples[i].Answer[0]].item<float>(), 1e-4);
        }
    }
}
