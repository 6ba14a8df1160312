using LLMML.Complexity.Metrics;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Training;
using LLMML.MLNet.Tasks;
using static TorchSharp.torch;

namespace LLMML.Complexity.Tests.Metrics;

public class FirstWordExactMatchTests
{
    /// <summary>
    /// Reference: greedy decoding, one unpadded forward per new token; right when the text it produces starts with
    /// " " + answer and the next character (if any) is not a letter or digit.
    /// </summary>
    private static bool NaiveGreedyFirstWord(LanguageModel lm, string prompt, string answer)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        lm.Model.eval();
        var ids = lm.Encode(prompt).Select(i => (long)i).ToList();
        var produced = new List<int>();
        for (var step = 0; step < answer.Length + 2; step++)
        {
            var next = (int)lm.Model.forward(tensor(ids.ToArray(), [1, ids.Count]))[0, -1].argmax().item<long>();
            produced.Add(next);
            ids.Add(next);
        }
        var text = string.Concat(produced.Select(id => lm.Decode([id])));
        var expected = " " + answer;
        return text.StartsWith(expected, StringComparison.Ordinal) && !char.IsLetterOrDigit(text[expected.Length]);
    }

    [Fact]
    public void AgreesWithGreedyDecodingRowByRow()
    {
        using var lm = TinyModels.Create(seed: 9, context: 32);
        var train = TinyModels.SumRows(30);
        // Answers followed by a newline, so the model learns to end the word (or fails to, on some rows).
        var tokens = train.Select(e => lm.EncodeContinuation(e.Prompt, " " + e.Answer + "\n")).ToArray();
        AnswerFineTuning.Train(lm, tokens, new TrainingOptions { LearningRate = 3e-3, MaxSteps = 60, Seed = 3 }, batchSize: 16);
        // Right answers, wrong ones, and a right answer with an extra digit (greedy would stop before it).
        var rows = train.Select(e => e)
            .Concat(train.Take(10).Select(e => e with { Answer = ((int.Parse(e.Answer) + 1) % 10).ToString() }))
            .Concat(train.Take(10).Select(e => e with { Answer = e.Answer + "1" }))
            .ToArray();
        var expected = rows.Select(e => NaiveGreedyFirstWord(lm, e.Prompt, e.Answer)).ToArray();
        expected.Should().Contain(true).And.Contain(false);

        var score = new FirstWordExactMatch { BatchSize = 7 }.Score(lm, "", new EvaluationSet(rows), null, "score", default);

        score.Should().BeApproximately(expected.Count(x => x) / (double)rows.Length, 1e-12);
    }

    [Fact]
    public void ASharedPrefixScoredFromItsCacheAgreesWithGreedyDecodingRowByRow()
    {
        using var lm = TinyModels.Create(seed: 9, context: 40);
        var train = TinyModels.SumRows(30);
        var prefix = "3 + 4 = 7\n1 + 1 = 2\n";
        var tokens = train.Select(e => lm.EncodeContinuation(prefix + e.Prompt, " " + e.Answer + "\n")).ToArray();
        AnswerFineTuning.Train(lm, tokens, new TrainingOptions { LearningRate = 3e-3, MaxSteps = 80, Seed = 3 }, batchSize: 16);
        var rows = train.Concat(train.Take(10).Select(e => e with { Answer = e.Answer + "1" })).ToArray();
        var expected = rows.Select(e => NaiveGreedyFirstWord(lm, prefix + e.Prompt, e.Answer)).ToArray();
        expected.Should().Contain(true).And.Contain(false);

        var score = new FirstWordExactMatch { BatchSize = 7 }.Score(lm, prefix, new EvaluationSet(rows), null, "score", default);

        score.Should().BeApproximately(expected.Count(x => x) / (double)rows.Length, 1e-12);
    }

    [Fact]
    public void APrefixIsPutBeforeEveryPrompt()
    {
        using var lm = TinyModels.Create(seed: 9, context: 40);
        var rows = TinyModels.SumRows(12);
        var prefix = "1 + 1 = 2\n";
        var expected = rows.Count(e => NaiveGreedyFirstWord(lm, prefix + e.Prompt, e.Answer)) / (double)rows.Length;
        new FirstWordExactMatch().Score(lm, prefix, new EvaluationSet(rows), null, "score", default).Should().Be(expected);
    }

    [Fact]
    public void RowsThatDoNotFitTheContextAreRefused()
    {
        using var lm = TinyModels.Create(context: 12);
        var rows = new[] { new TaskExample("1 + 1 =", "2") };
        var act = () => new FirstWordExactMatch().Score(lm, "3 + 4 = 7\n", new EvaluationSet(rows), null, "score", default);
        act.Should().Throw<InvalidOperationException>().WithMessage("*positions*");
    }
}
