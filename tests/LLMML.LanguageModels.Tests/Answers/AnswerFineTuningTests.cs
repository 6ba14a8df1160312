using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;
using LLMML.LanguageModels.Training;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Answers;

public class AnswerFineTuningTests
{
    [Fact]
    public void TrainingOnAnswersLearnsAMapping()
    {
        // "a" → "x", "b" → "y", ...: a lookup a 2-layer model learns in a few hundred steps.
        var tokenizer = new CharacterTokenizer("abcdwxyz=");
        manual_seed(11);
        using var lm = new LanguageModel(new CausalLanguageModel(TransformerConfig.Gpt2(32, 2, 2, tokenizer.VocabularySize, 16)), tokenizer);
        var examples = "abcd".Select((c, i) => lm.EncodeContinuation($"{c}=", "wxyz"[i].ToString())).ToArray();
        AnswerEvaluator.Evaluate(lm, examples).Accuracy.Should().BeLessThan(1);

        var result = AnswerFineTuning.Train(lm, examples, new TrainingOptions { LearningRate = 3e-3, MaxSteps = 150, Seed = 1 }, batchSize: 4);

        result.Losses[^1].Should().BeLessThan(result.Losses[0] / 10);
        AnswerEvaluator.Evaluate(lm, examples).Accuracy.Should().Be(1);
    }

    [Fact]
    public void CloneIsIndependentAndIdentical()
    {
        var tokenizer = new CharacterTokenizer("ab");
        using var lm = new LanguageModel(new CausalLanguageModel(TransformerConfig.Gpt2(8, 1, 2, tokenizer.VocabularySize, 8)), tokenizer);
        lm.Model.embed_tokens.parameters().First().requires_grad = false;
        using var copy = lm.Clone();
        using var ids = tensor(new long[] { 4, 5, 4 }, [1, 3]);
        using (no_grad())
        {
            copy.Model.forward(ids).Should().BeEquivalentTo(lm.Model.forward(ids), o => o.Using<Tensor>(c => c.Subject.allclose(c.Expectation).Should().BeTrue()).WhenTypeIs<Tensor>());
            copy.Model.TokenEmbedding.requires_grad.Should().BeFalse();
            copy.Model.layers[0].mlp.parameters().First().add_(1.0);
        }
        lm.Model.layers[0].mlp.parameters().First().allclose(copy.Model.layers[0].mlp.parameters().First()).Should().BeFalse();
    }

    [Fact]
    public void ContinuationsSplitAtTheTokenBoundary()
    {
        using var lm = new LanguageModel(new CausalLanguageModel(TransformerConfig.Gpt2(8, 1, 2, 50257, 8)), TokenizerStore.Gpt2Tiktoken());
        var encoded = lm.EncodeContinuation("Hello", " world");
        encoded.Prompt.Should().Equal(15496);
        encoded.Answer.Should().Equal(995);
    }
}
