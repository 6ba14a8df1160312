using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Tests.Modeling;

namespace LLMML.LanguageModels.Tests.Generation;

public class ContinuationScorerTests
{
    [Theory]
    [InlineData("gpt2")]
    [InlineData("qwen2")]
    [InlineData("phi")]
    public void BatchedLogProbabilitiesMatchTheReferenceLogSoftmax(string family)
    {
        using var model = TinyModels.Create(family, seed: 31);
        var naive = TinyModels.Naive(model);
        var v = model.Config.VocabularySize;
        var prompts = new[] { TinyModels.Ids(3, v, 1), TinyModels.Ids(6, v, 2), TinyModels.Ids(1, v, 3) };
        var continuations = new[] { TinyModels.Ids(4, v, 4), TinyModels.Ids(1, v, 5), TinyModels.Ids(5, v, 6) };

        var scores = ContinuationScorer.LogProbabilities(model,
            prompts.Select(p => (IReadOnlyList<int>)p.Select(x => (int)x).ToArray()).ToArray(),
            continuations.Select(c => (IReadOnlyList<int>)c.Select(x => (int)x).ToArray()).ToArray(),
            batchSize: 2);

        for (var r = 0; r < prompts.Length; r++)
        {
            var sequence = prompts[r].Concat(continuations[r]).Select(x => (int)x).ToArray();
            var (logits, _) = naive.Run(sequence);
            scores[r].Should().HaveCount(continuations[r].Length);
            for (var j = 0; j < continuations[r].Length; j++)
            {
                var row = logits[prompts[r].Length - 1 + j];
                var max = row.Max();
                var logSumExp = max + Math.Log(row.Sum(x => Math.Exp(x - max)));
                var expected = row[continuations[r][j]] - logSumExp;
                ((double)scores[r][j]).Should().BeApproximately(expected, 2e-4, $"{family} row {r} token {j}");
            }
        }
    }
}
