using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using static LLMML.Scoring.Tests.TinyScoringSetup;

namespace LLMML.Scoring.Tests;

public sealed class AnswerScoringTests : IDisposable
{
    private readonly LanguageModel _lm = CreateModel();
    private readonly string[] _prompts = Prompts(10);
    private readonly double[][] _naive;   // [row][candidate] log-likelihoods by the naive reference

    public AnswerScoringTests()
    {
        _naive = _prompts.Select(p => Answers.Select(a => NaiveLogLikelihood(_lm, p, " " + a + "\n")).ToArray()).ToArray();
    }

    public void Dispose() => _lm.Dispose();

    private static int ArgMax(double[] x) => Array.IndexOf(x, x.Max());

    /// <summary>Even rows are labelled with the naive arg-max, odd rows with the next answer, so accuracy is known.</summary>
    private InMemoryTask Task() => FixedTask("tiny", Answers, _prompts.Select((p, i) =>
        new TaskExample(p, Answers[(ArgMax(_naive[i]) + (i % 2)) % Answers.Length])).ToArray());

    private static IDataView Score(MLContext ml, LanguageModel model, IDataView data, int batchSize, bool generate = false, bool stopAfterFirstWord = true) =>
        ml.Llm().ScoreAnswers(new ScoreAnswersOptions
        {
            AnswerSet = Answers, BatchSize = batchSize, Generate = generate, MaxNewTokens = 6, StopAfterFirstWord = stopAfterFirstWord,
        }, model).Fit(data).Transform(data);

    private static T[] Column<T>(IDataView data, string name) => data.GetColumn<T>(name).ToArray();

    // GetColumn reuses a VBuffer's array from row to row: copy each row out before the next is read.
    private static float[][] Scores(IDataView data) => data.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();

    [Fact]
    public void ScoreIsTheSoftmaxOfNaiveContinuationLogLikelihoodsAndPredictedLabelItsArgMax()
    {
        var ml = new MLContext(seed: 1);
        var scored = Score(ml, _lm, Load(ml, Task()), batchSize: 4);
        var scores = Scores(scored);
        var predicted = Column<uint>(scored, "PredictedLabel");
        for (var i = 0; i < _prompts.Length; i++)
        {
            var expected = Softmax(_naive[i]);
            var actual = scores[i];
            actual.Should().HaveCount(Answers.Length);
            for (var k = 0; k < Answers.Length; k++) ((double)actual[k]).Should().BeApproximately(expected[k], 2e-4, $"row {i} answer {Answers[k]}");
            predicted[i].Should().Be((uint)(ArgMax(_naive[i]) + 1), $"row {i}");
        }
        // The probabilities are not uniform: the test can tell answers apart.
        scores.SelectMany(s => s).Max().Should().BeGreaterThan(0.3f);
    }

    [Fact]
    public void AnEmptyTerminatorScoresTheBareAnswers()
    {
        var ml = new MLContext(seed: 1);
        var data = Load(ml, Task());
        var scored = ml.Llm().ScoreAnswers(new ScoreAnswersOptions { AnswerSet = Answers, AnswerTerminator = "" }, _lm).Fit(data).Transform(data);
        var scores = Scores(scored);
        for (var i = 0; i < _prompts.Length; i++)
        {
            var expected = Softmax(Answers.Select(a => NaiveLogLikelihood(_lm, _prompts[i], " " + a)).ToArray());
            for (var k = 0; k < Answers.Length; k++) ((double)scores[i][k]).Should().BeApproximately(expected[k], 2e-4, $"row {i}, answer {Answers[k]}");
        }
    }

    [Fact]
    public void GoldAnswerLogLikelihoodMatchesTheNaiveComputation()
    {
        var ml = new MLContext(seed: 1);
        var task = Task();
        var scored = Score(ml, _lm, Load(ml, task), batchSize: 3);
        var ll = Column<float>(scored, LlmMetrics.AnswerLogLikelihoodColumn);
        var tokens = Column<int>(scored, LlmMetrics.AnswerTokenCountColumn);
        var examples = task.GetExamples(TaskSplits.Test);
        for (var i = 0; i < _prompts.Length; i++)
        {
            ((double)ll[i]).Should().BeApproximately(NaiveLogLikelihood(_lm, _prompts[i], " " + examples[i].Answer + "\n"), 2e-4, $"row {i}");
            tokens[i].Should().Be(1 + examples[i].Answer.Length + 1, "space, answer characters and the terminator");
        }
    }

    [Fact]
    public void MulticlassEvaluateAccuracyEqualsAnIndependentCount()
    {
        var ml = new MLContext(seed: 1);
        var task = Task();
        var scored = Score(ml, _lm, Load(ml, task), batchSize: 4);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        var examples = task.GetExamples(TaskSplits.Test);
        var hits = Enumerable.Range(0, _prompts.Length).Count(i => Answers[ArgMax(_naive[i])] == examples[i].Answer);
        hits.Should().Be(5);
        metrics.MicroAccuracy.Should().BeApproximately((double)hits / _prompts.Length, 1e-12);
        var expectedLogLoss = Enumerable.Range(0, _prompts.Length).Average(i => -Math.Log(Softmax(_naive[i])[Array.IndexOf(Answers, examples[i].Answer)]));
        metrics.LogLoss.Should().BeApproximately(expectedLogLoss, 1e-3);

        var report = LlmEvaluator.Evaluate(ml, scored, "tiny", TaskSplits.Test);
        report.Multiclass!.MicroAccuracy.Should().Be(metrics.MicroAccuracy);
        report.AnswerLikelihood!.Count.Should().Be(_prompts.Length);
    }

    [Fact]
    public void BatchSizeOneAndSevenGiveTheSameResults()
    {
        var ml = new MLContext(seed: 1);
        var data = Load(ml, Task());
        var one = Score(ml, _lm, data, batchSize: 1, generate: true);
        var seven = Score(ml, _lm, data, batchSize: 7, generate: true);
        var s1 = Scores(one);
        var s7 = Scores(seven);
        s1.Select(r => r.Max()).Distinct().Should().HaveCountGreaterThan(5, "rows differ");
        for (var i = 0; i < _prompts.Length; i++)
            for (var k = 0; k < Answers.Length; k++) s7[i][k].Should().BeApproximately(s1[i][k], 1e-6f);
        Column<uint>(seven, "PredictedLabel").Should().Equal(Column<uint>(one, "PredictedLabel"));
        var l1 = Column<float>(one, LlmMetrics.AnswerLogLikelihoodColumn);
        var l7 = Column<float>(seven, LlmMetrics.AnswerLogLikelihoodColumn);
        for (var i = 0; i < _prompts.Length; i++) l7[i].Should().BeApproximately(l1[i], 1e-5f);
        Column<ReadOnlyMemory<char>>(seven, "Generated").Select(g => g.ToString())
            .Should().Equal(Column<ReadOnlyMemory<char>>(one, "Generated").Select(g => g.ToString()));
    }

    [Fact]
    public void GreedyGenerationAndExactMatchAgreeWithLanguageModelGenerate()
    {
        var reference = _lm.Generate(_prompts, new GenerationOptions { MaxNewTokens = 6 });
        // Half the rows are labelled with the reference's first word, so exact match has hits to find.
        var examples = _prompts.Select((p, i) => new TaskExample(p, i % 2 == 0 && AnswerMatching.Normalize(reference[i]) is { Length: > 0 } w ? w : "no")).ToArray();
        var task = FixedTask("tiny-open", null, examples);
        var ml = new MLContext(seed: 1);
        var options = new ScoreAnswersOptions { Generate = true, MaxNewTokens = 6, StopAfterFirstWord = false, BatchSize = 3 };
        var full = ml.Llm().ScoreAnswers(options, _lm).Fit(Load(ml, task)).Transform(Load(ml, task));
        Column<ReadOnlyMemory<char>>(full, "Generated").Select(g => g.ToString()).Should().Equal(reference);

        options.StopAfterFirstWord = true;
        var early = ml.Llm().ScoreAnswers(options, _lm).Fit(Load(ml, task)).Transform(Load(ml, task));
        var firstWords = Column<ReadOnlyMemory<char>>(early, "Generated").Select(g => AnswerMatching.Normalize(g.ToString()));
        firstWords.Should().Equal(reference.Select(AnswerMatching.Normalize));

        var expected = (double)examples.Select((e, i) => AnswerMatching.IsExactMatch(reference[i], e.Answer)).Count(m => m) / examples.Length;
        LlmMetrics.ExactMatchAccuracy(early).Should().Be(expected);
        LlmEvaluator.Evaluate(ml, early).ExactMatchAccuracy.Should().Be(expected);
    }
}
