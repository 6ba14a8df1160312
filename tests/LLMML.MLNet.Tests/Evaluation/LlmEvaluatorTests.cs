using System.Text.Json;
using LLMML.MLNet.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Tests.Evaluation;

public class LlmEvaluatorTests
{
    // A fake LM for dyck: says "yes" when the bracket string starts with an opener, "no" otherwise.
    private static bool SaysYes(string prompt) => "([{".Contains(prompt["Are parenthesis here correctly matched? ".Length]);

    [Fact]
    public void Reports_exact_match_likelihood_and_multiclass_metrics_from_one_scored_view()
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Llm().Tasks.Load("dyck", "test", limit: 60);
        var examples = ml.Llm().Tasks.Get("dyck").GetExamples("test").Take(60).ToArray();

        var closed = ClosedSetScoring.CreateMapping(["yes", "no"], (prompts, c) =>
            prompts.Select(p => SaysYes(p) ? new[] { -0.1, -2.5 } : new[] { -2.5, -0.1 }).ToArray(), batchSize: 8);
        var likelihood = LmOutputMappings.AnswerLikelihood((prompts, continuations) =>
            continuations.Select(c => (c == " yes" ? -0.25 : -1.5, 1)).ToArray(), batchSize: 8);
        var generation = LmOutputMappings.Generation(prompts => prompts.Select(p => SaysYes(p) ? " yes\n" : " no\n").ToArray(), batchSize: 8);
        var scored = generation.Apply(likelihood.Apply(closed.Apply(data)));

        var report = LlmEvaluator.Evaluate(ml, scored, "dyck", "test");

        double expectedAccuracy = examples.Count(e => (SaysYes(e.Prompt) ? "yes" : "no") == e.Answer) / 60.0;
        report.Rows.Should().Be(60);
        report.ExactMatchAccuracy.Should().BeApproximately(expectedAccuracy, 1e-12);
        report.Multiclass!.MicroAccuracy.Should().BeApproximately(expectedAccuracy, 1e-12);
        report.Multiclass.Classes.Should().Be(2);
        report.AnswerLikelihood!.MeanLogLikelihood.Should().BeApproximately(examples.Average(e => e.Answer == "yes" ? -0.25 : -1.5), 1e-6);
        report.AnswerLikelihood.MeanLogLikelihoodPerToken.Should().BeApproximately(report.AnswerLikelihood.MeanLogLikelihood, 1e-9);

        using var json = JsonDocument.Parse(report.ToJson());
        json.RootElement.GetProperty("task").GetString().Should().Be("dyck");
        json.RootElement.GetProperty("multiclass").GetProperty("microAccuracy").GetDouble().Should().BeApproximately(expectedAccuracy, 1e-12);
        json.RootElement.TryGetProperty("exactMatchAccuracy", out _).Should().BeTrue();
    }

    [Fact]
    public void A_view_without_scores_is_refused_with_its_columns_named()
    {
        var ml = new MLContext();
        var act = () => LlmEvaluator.Evaluate(ml, ml.Llm().Tasks.Load("int-sum", limit: 3));
        act.Should().Throw<ArgumentException>().WithMessage("*Nothing to evaluate*Prompt, Answer, Label*");
    }

    [Fact]
    public void Impossible_likelihoods_are_reported_with_the_row()
    {
        var ml = new MLContext();
        var mapping = LmOutputMappings.AnswerLikelihood((p, c) => c.Select(_ => (0.5, 1)).ToArray());
        var act = () => mapping.Apply(ml.Llm().Tasks.Load("int-sum", limit: 3)).GetColumn<float>("AnswerLogLikelihood").ToArray();
        act.Should().Throw<InvalidOperationException>().WithMessage("*Row 0*0.5*impossible*");
    }
}
