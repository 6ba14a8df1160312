using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Tests.Modeling;
using LLMML.LanguageModels.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Answers;

public class AnswerObjectiveTests
{
    public static TheoryData<string> Families => TinyModels.Families;

    [Theory]
    [MemberData(nameof(Families))]
    public void LogLikelihoodsOfPaddedRowsMatchTheUnpaddedReference(string family)
    {
        using var model = TinyModels.Create(family, seed: 7);
        var naive = TinyModels.Naive(model);
        var examples = Examples(model.Config.VocabularySize);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = AnswerBatch.Create(examples, padId: 0, model.Config.MaxPositionEmbeddings, CPU);
        var logits = model.forward(batch.InputIds, batch.AttentionMask, null);
        var scores = AnswerObjective.Score(logits, batch);
        var loss = AnswerObjective.MeanLoss(logits, batch).ToDouble();
        var summed = AnswerObjective.SummedLoss(logits, batch).ToDouble();

        double total = 0;
        var tokens = 0;
        for (var i = 0; i < examples.Length; i++)
        {
            var (expected, argmaxOk) = Reference(naive, examples[i]);
            scores[i].LogLikelihood.Should().BeApproximately(expected, 5e-4, $"{family} row {i}");
            scores[i].TokenCount.Should().Be(examples[i].Answer.Length);
            scores[i].Correct.Should().Be(argmaxOk, $"{family} row {i}");
            total += expected;
            tokens += examples[i].Answer.Length;
        }
        loss.Should().BeApproximately(-total / tokens, 1e-4);
        summed.Should().BeApproximately(-total, 2e-3);
    }

    [Fact]
    public void CorrectMeansGreedyGenerationReproducesTheAnswer()
    {
        using var model = TinyModels.Create("gpt2", seed: 3);
        var prompts = new[] { new[] { 1, 2, 3 }, [4], [5, 6] };
        var greedy = TokenGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = 4, StopTokenIds = [] });
        var right = prompts.Select((p, i) => new PromptAnswerTokens(p, greedy[i].ToArray())).ToArray();
        var wrong = right.Select(e => e with { Answer = [.. e.Answer[..^1], (e.Answer[^1] + 1) % 23] }).ToArray();
        using var lm = new LanguageModel(model, new CharacterTokenizer("abcdefghijklmnopqrs"));
        AnswerEvaluator.Evaluate(lm, right, batchSize: 2).Scores.Should().OnlyContain(s => s.Correct);
        AnswerEvaluator.Evaluate(lm, wrong, batchSize: 2).Scores.Should().OnlyContain(s => !s.Correct);
    }

    [Fact]
    public void EvaluationIsTheSameInAnyBatchSize()
    {
        using var model = TinyModels.Create("qwen2", seed: 5);
        using var lm = new LanguageModel(model, new CharacterTokenizer("abcdefghijklmnopqrstuvwxy"));
        var examples = Examples(model.Config.VocabularySize);
        var one = AnswerEvaluator.Evaluate(lm, examples, batchSize: 1);
        var all = AnswerEvaluator.Evaluate(lm, examples, batchSize: examples.Length);
        for (var i = 0; i < examples.Length; i++)
            all.Scores[i].LogLikelihood.Should().BeApproximately(one.Scores[i].LogLikelihood, 1e-4);
        all.TotalBits.Should().BeApproximately(-one.Scores.Sum(s => s.LogLikelihood) / Math.Log(2), 1e-3);
    }

    private static PromptAnswerTokens[] Examples(long vocabulary) =>
    [
        new(Ids(4, vocabulary, 1), Ids(3, vocabulary, 2)),
        new(Ids(1, vocabulary, 3), Ids(1, vocabulary, 4)),
        new(Ids(7, vocabulary, 5), Ids(2, vocabulary, 6)),
    ];

    private static int[] Ids(int count, long vocabulary, int seed) => TinyModels.Ids(count, vocabulary, seed).Select(x => (int)x).ToArray();

    private static (double LogLikelihood, bool ArgmaxOk) Reference(NaiveTransformer naive, PromptAnswerTokens example)
    {
        var sequence = example.Prompt.Concat(example.Answer).ToArray();
        var (logits, _) = naive.Run(sequence);
        double sum = 0;
        var ok = true;
        for (var j = 0; j < example.Answer.Length; j++)
        {
            var row = logits[example.Prompt.Length - 1 + j];
            var max = row.Max();
            sum += row[example.Answer[j]] - (max + Math.Log(row.Sum(x => Math.Exp(x - max))));
            ok &= Array.IndexOf(row, max) == example.Answer[j];
        }
        return (sum, ok);
    }
}
