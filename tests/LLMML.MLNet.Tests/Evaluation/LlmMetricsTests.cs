using LLMML.MLNet.Evaluation;
using Microsoft.ML;

namespace LLMML.MLNet.Tests.Evaluation;

public class LlmMetricsTests
{
    [Theory]
    [InlineData(" 12\n3 + 4 = 7", "12", true)]
    [InlineData("12", "12", true)]
    [InlineData(" 12.", "12", true)]
    [InlineData(" $1,080 dollars", "1080", true)]
    [InlineData(" 120", "12", false)]
    [InlineData(" is 12", "12", false)]
    [InlineData("", "12", false)]
    [InlineData(" yes, they are", "yes", true)]
    [InlineData(" Yes", "yes", false)]
    [InlineData(" 16.25", "16.25", true)]
    public void Exact_match_compares_the_first_word(string generated, string answer, bool expected) =>
        AnswerMatching.IsExactMatch(generated, answer).Should().Be(expected);

    private sealed class Row
    {
        public string Generated { get; set; } = "";

        public string Answer { get; set; } = "";

        public float AnswerLogLikelihood { get; set; }

        public int AnswerTokenCount { get; set; }
    }

    [Fact]
    public void Aggregates_exact_match_and_answer_log_likelihood_over_a_data_view()
    {
        var rows = new[]
        {
            new Row { Generated = " 7", Answer = "7", AnswerLogLikelihood = -0.5f, AnswerTokenCount = 2 },
            new Row { Generated = " 8", Answer = "9", AnswerLogLikelihood = -3.0f, AnswerTokenCount = 2 },
            new Row { Generated = " 10\n", Answer = "10", AnswerLogLikelihood = -1.0f, AnswerTokenCount = 3 },
            new Row { Generated = "", Answer = "1", AnswerLogLikelihood = -4.5f, AnswerTokenCount = 1 },
        };
        var data = new MLContext().Data.LoadFromEnumerable(rows);

        LlmMetrics.ExactMatchAccuracy(data).Should().Be(0.5);
        var summary = LlmMetrics.AnswerLikelihood(data);
        summary.Count.Should().Be(4);
        summary.MeanLogLikelihood.Should().BeApproximately((-0.5 - 3.0 - 1.0 - 4.5) / 4, 1e-12);
        summary.MeanLogLikelihoodPerToken.Should().BeApproximately(-9.0 / 8, 1e-12);
        summary.MeanProbability.Should().BeApproximately((Math.Exp(-0.5) + Math.Exp(-3) + Math.Exp(-1) + Math.Exp(-4.5)) / 4, 1e-7);
    }

    [Fact]
    public void Bad_inputs_are_named()
    {
        var data = new MLContext().Data.LoadFromEnumerable(new[] { new Row { Answer = "1" } });
        var missing = () => LlmMetrics.ExactMatchAccuracy(data, generatedColumn: "Output");
        missing.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Output'*not found*");
        var wrongType = () => LlmMetrics.ExactMatchAccuracy(data, generatedColumn: "AnswerTokenCount");
        wrongType.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'AnswerTokenCount' must be text*");
        var positive = () => AnswerLikelihoodSummary.From([0.5]);
        positive.Should().Throw<ArgumentException>().WithMessage("*0.5*");
    }
}
