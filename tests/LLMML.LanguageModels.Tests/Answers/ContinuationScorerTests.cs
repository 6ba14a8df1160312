using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Tests.Modeling;

namespace LLMML.LanguageModels.Tests.Answers;

public class ContinuationScorerTests
{
    /// <summary>Prompts of different lengths (left padding when shared), continuations sharing prefixes, single tokens and an empty one.</summary>
    private static PromptContinuations[] Items(long vocabulary)
    {
        int[] Ids(int count, int seed) => TinyModels.Ids(count, vocabulary, seed).Select(x => (int)x).ToArray();
        var shared = Ids(2, 10);
        return
        [
            new(Ids(3, 1), [Ids(4, 2), [.. shared, 5], [.. shared, 6, 7], [.. shared], Ids(1, 3)]),
            new(Ids(7, 4), [Ids(1, 5), Ids(1, 6)]),
            new(Ids(1, 7), [[.. shared, 8, 9, 10], Ids(5, 8), []]),
        ];
    }

    [Theory]
    [InlineData("gpt2", true)]
    [InlineData("gpt2", false)]
    [InlineData("qwen2", true)]
    [InlineData("phi", true)]
    [InlineData("phi", false)]
    public void TokenLogProbabilitiesMatchTheNaiveTransformer(string family, bool sharePromptCache)
    {
        using var model = TinyModels.Create(family, seed: 31);
        var naive = TinyModels.Naive(model);
        var items = Items(model.Config.VocabularySize);
        // A tiny budget splits prompts and paths into several forwards.
        foreach (var budget in new[] { 64L << 20, 1L })
        {
            var scores = ContinuationScorer.TokenLogProbabilities(model, items, new ContinuationScoring { SharePromptCache = sharePromptCache, MaxValuesPerForward = budget, PadId = 1 });
            for (var i = 0; i < items.Length; i++)
                for (var k = 0; k < items[i].Continuations.Count; k++)
                {
                    var (prompt, continuation) = (items[i].Prompt, items[i].Continuations[k]);
                    scores[i][k].Should().HaveCount(continuation.Length);
                    if (continuation.Length == 0) continue;
                    var (logits, _) = naive.Run([.. prompt, .. continuation]);
                    for (var j = 0; j < continuation.Length; j++)
                    {
                        var row = logits[prompt.Length - 1 + j];
                        var max = row.Max();
                        var expected = row[continuation[j]] - (max + Math.Log(row.Sum(x => Math.Exp(x - max))));
                        ((double)scores[i][k][j]).Should().BeApproximately(expected, 2e-4, $"{family} budget {budget} item {i} continuation {k} token {j}");
                    }
                }
        }
    }

    [Fact]
    public void SharingThePromptCacheAgreesWithRecomputingItAndSumsInTokenOrder()
    {
        using var model = TinyModels.Create("gpt2", seed: 5);
        var items = Items(model.Config.VocabularySize);
        var full = ContinuationScorer.TokenLogProbabilities(model, items, new ContinuationScoring { SharePromptCache = false });
        var shared = ContinuationScorer.TokenLogProbabilities(model, items, new ContinuationScoring { SharePromptCache = true });
        var sums = ContinuationScorer.Score(model, items);
        for (var i = 0; i < items.Length; i++)
            for (var k = 0; k < items[i].Continuations.Count; k++)
            {
                for (var j = 0; j < full[i][k].Length; j++) shared[i][k][j].Should().BeApproximately(full[i][k][j], 1e-5f);
                sums[i][k].TokenCount.Should().Be(items[i].Continuations[k].Length);
                sums[i][k].LogLikelihood.Should().Be(shared[i][k].Aggregate(0.0, (s, x) => s + x));
            }
    }

    [Fact]
    public void ScoringRestoresTheModelsModeAndRejectsAnEmptyPrompt()
    {
        using var model = TinyModels.Create("gpt2", seed: 6);
        model.train();
        ContinuationScorer.TokenLogProbabilities(model, [new([1, 2], [[3]])]);
        model.training.Should().BeTrue();
        var empty = () => ContinuationScorer.TokenLogProbabilities(model, [new([1], [[2]]), new([], [[3]])]);
        empty.Should().Throw<ArgumentException>().WithMessage("Prompt 1 has no tokens*");
    }

    [Fact]
    public void LearnedPositionsNeverOverflowWhenALongPromptAndALongPathShareAGroup()
    {
        // GPT-2 has 32 positions: 28 + 3 fits, and so does 2 + 29, but not 28 + 29 in one padded group.
        using var model = TinyModels.Create("gpt2", seed: 7);
        var v = model.Config.VocabularySize;
        int[] Ids(int count, int seed) => TinyModels.Ids(count, v, seed).Select(x => (int)x).ToArray();
        var items = new PromptContinuations[] { new(Ids(28, 1), [Ids(4, 2)]), new(Ids(2, 3), [Ids(30, 4), Ids(2, 5)]) };
        var shared = ContinuationScorer.TokenLogProbabilities(model, items);
        var full = ContinuationScorer.TokenLogProbabilities(model, items, new ContinuationScoring { SharePromptCache = false });
        for (var i = 0; i < items.Length; i++)
            for (var k = 0; k < items[i].Continuations.Count; k++)
                for (var j = 0; j < full[i][k].Length; j++) shared[i][k][j].Should().BeApproximately(full[i][k][j], 1e-5f);
    }
}
