using System.Text.RegularExpressions;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Tests.Evaluation;

public class ClosedSetScoringTests
{
    [Fact]
    public void Scores_are_the_softmax_and_the_label_the_first_argmax()
    {
        double[] logLik = [-3.0, -0.5, -0.5, -10.0];
        var (score, label) = ClosedSetScoring.ToScoreAndLabel(logLik);

        double z = logLik.Sum(Math.Exp);
        score.DenseValues().Should().Equal(logLik.Select(l => (float)(Math.Exp(l) / z)), (a, b) => Math.Abs(a - b) < 1e-7);
        label.Should().Be(2, "ties go to the first candidate; keys are 1-based");

        var (extreme, best) = ClosedSetScoring.ToScoreAndLabel([-1000.0, -1001.0]);
        extreme.DenseValues().First().Should().BeApproximately((float)(1 / (1 + Math.Exp(-1))), 1e-6f, "the shift by the max keeps exp from underflowing");
        best.Should().Be(1);

        ClosedSetScoring.ToScoreAndLabel([double.NegativeInfinity, double.NegativeInfinity]).Score.DenseValues().Should().Equal(0.5f, 0.5f);
        var nan = () => ClosedSetScoring.ToScoreAndLabel([0.0, double.NaN]);
        nan.Should().Throw<ArgumentException>().WithMessage("*Candidate 1*NaN*");
    }

    // A fake LM for int-sum: peaks at the true sum, except on every third row where it peaks one too high.
    private static double[][] FakeLm(IReadOnlyList<string> prompts, IReadOnlyList<string> continuations, List<int> batchSizes)
    {
        batchSizes.Add(prompts.Count);
        continuations.Should().OnlyContain(c => c.StartsWith(' '), "the scorer gets the continuation, with its separator");
        return prompts.Select(p =>
        {
            var m = Regex.Match(p, @"^(\d+) \+ (\d+) =$");
            int i = int.Parse(m.Groups[1].Value), j = int.Parse(m.Groups[2].Value);
            int peak = (i + j) % 3 == 0 ? i + j + 1 : i + j;
            return continuations.Select(c => -2.0 * Math.Abs(int.Parse(c) - peak)).ToArray();
        }).ToArray();
    }

    [Fact]
    public void Scored_task_rows_feed_MLNet_multiclass_evaluation()
    {
        var ml = new MLContext(seed: 0);
        var task = ml.Llm().Tasks.Get("int-sum");
        var data = ml.Llm().Tasks.Load("int-sum", "test", limit: 150);
        var batches = new List<int>();
        var mapping = ClosedSetScoring.CreateMapping(task.AnswerSet!, (p, c) => FakeLm(p, c, batches), batchSize: 32);

        var scored = mapping.Apply(data);
        var metrics = LlmMetrics.Multiclass(ml, scored);

        // Independent expectation from the same rule, computed directly on the examples.
        var rows = task.GetExamples("test").Take(150).ToArray();
        double hits = 0, logLoss = 0;
        foreach (var e in rows)
        {
            var m = Regex.Match(e.Prompt, @"^(\d+) \+ (\d+) =$");
            int sum = int.Parse(m.Groups[1].Value) + int.Parse(m.Groups[2].Value);
            int peak = sum % 3 == 0 ? sum + 1 : sum;
            if (peak == sum) hits++;
            double z = Enumerable.Range(0, 199).Sum(c => Math.Exp(-2.0 * Math.Abs(c - peak)));
            logLoss += -Math.Log(Math.Exp(-2.0 * Math.Abs(sum - peak)) / z);
        }
        metrics.MicroAccuracy.Should().BeApproximately(hits / rows.Length, 1e-9);
        metrics.LogLoss.Should().BeApproximately(logLoss / rows.Length, 1e-4);
        batches.Should().Equal(32, 32, 32, 32, 22);

        VBuffer<ReadOnlyMemory<char>> slots = default;
        scored.Schema[ClosedSetScoring.ScoreColumn].GetSlotNames(ref slots);
        slots.DenseValues().Select(s => s.ToString()).Should().Equal(task.AnswerSet);
    }

    [Fact]
    public void A_scorer_returning_the_wrong_shape_is_reported()
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Llm().Tasks.Load("dyck", "test", limit: 4);
        var mapping = ClosedSetScoring.CreateMapping(["yes", "no"], (p, c) => p.Select(_ => new[] { 0.0 }).ToArray(), name: "short scorer");
        var act = () => mapping.Apply(data).GetColumn<uint>("PredictedLabel").ToArray();
        act.Should().Throw<InvalidOperationException>().WithMessage("*short scorer*1 log-likelihoods for row 0, expected 2*");
    }
}
