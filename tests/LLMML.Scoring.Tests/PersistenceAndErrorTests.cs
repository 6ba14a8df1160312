using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Persistence;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using static LLMML.Scoring.Tests.TinyScoringSetup;

namespace LLMML.Scoring.Tests;

public sealed class PersistenceAndErrorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "llmml-scoring-tests-" + Guid.NewGuid().ToString("N"));
    private readonly LanguageModel _lm = CreateModel(seed: 11);
    private readonly InMemoryTask _task;

    public PersistenceAndErrorTests()
    {
        Directory.CreateDirectory(_dir);
        _task = FixedTask("tiny", Answers, Prompts(6).Select((p, i) => new TaskExample(p, Answers[i % Answers.Length])).ToArray());
    }

    public void Dispose()
    {
        _lm.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private ScoreAnswersOptions Options() => new() { AnswerSet = Answers, Generate = true, MaxNewTokens = 4, BatchSize = 4 };

    private static (float[][] Score, float[] LogLik, string[] Generated) Read(IDataView scored) => (
        scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray(),
        scored.GetColumn<float>(LlmMetrics.AnswerLogLikelihoodColumn).ToArray(),
        scored.GetColumn<ReadOnlyMemory<char>>(LlmMetrics.GeneratedColumn).Select(g => g.ToString()).ToArray());

    private static void ShouldBeIdentical((float[][] Score, float[] LogLik, string[] Generated) a, (float[][] Score, float[] LogLik, string[] Generated) b)
    {
        a.Score.Select(r => r.Max()).Distinct().Should().HaveCountGreaterThan(3, "rows differ");
        for (var i = 0; i < a.Score.Length; i++) b.Score[i].Should().Equal(a.Score[i]);
        b.LogLik.Should().Equal(a.LogLik);
        b.Generated.Should().Equal(a.Generated);
    }

    [Fact]
    public void OwnArchiveRoundTripGivesIdenticalScores()
    {
        var ml = new MLContext(seed: 1);
        var data = Load(ml, _task);
        using var fitted = ml.Llm().ScoreAnswers(Options(), _lm).Fit(data);
        var before = Read(fitted.Transform(data));
        var path = Path.Combine(_dir, "scorer.llmml");
        fitted.Save(path);

        using var loaded = LlmModels.Load<AnswerScoringTransformer>(new MLContext(seed: 2), path);
        loaded.AnswerSet.Should().Equal(Answers);
        ShouldBeIdentical(before, Read(loaded.Transform(Load(ml, _task))));
    }

    [Fact]
    public void MLNetModelSaveAndLoadOfAPipelineGiveIdenticalScores()
    {
        var ml = new MLContext(seed: 1);
        var data = Load(ml, _task);
        var pipeline = ml.Transforms.CopyColumns("PromptCopy", "Prompt").Append(ml.Llm().ScoreAnswers(Options(), _lm));
        var model = pipeline.Fit(data);
        var before = Read(model.Transform(data));
        var path = Path.Combine(_dir, "pipeline.zip");
        ml.Model.Save(model, data.Schema, path);

        var other = new MLContext(seed: 3);
        other.Llm();
        var loaded = other.Model.Load(path, out var schema);
        schema.GetColumnOrNull("Prompt").Should().NotBeNull();
        ShouldBeIdentical(before, Read(loaded.Transform(Load(other, _task))));
        other.MulticlassClassification.Evaluate(loaded.Transform(Load(other, _task))).MicroAccuracy
            .Should().Be(ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy);
    }

    [Fact]
    public void CorruptedArchiveFailsWithInvalidDataException()
    {
        var ml = new MLContext(seed: 1);
        using var fitted = ml.Llm().ScoreAnswers(Options(), _lm).Fit(Load(ml, _task));
        var path = Path.Combine(_dir, "scorer.llmml");
        fitted.Save(path);
        var bytes = File.ReadAllBytes(path);
        for (var i = bytes.Length / 3; i < bytes.Length / 3 + 64; i++) bytes[i] ^= 0x5A;
        var corrupt = Path.Combine(_dir, "corrupt.llmml");
        File.WriteAllBytes(corrupt, bytes);
        var act = () => AnswerScoringTransformer.Load(ml, corrupt);
        act.Should().Throw<InvalidDataException>().WithMessage("*corrupt.llmml*");

        File.WriteAllBytes(corrupt, bytes[..(bytes.Length / 2)]);
        act.Should().Throw<InvalidDataException>().WithMessage("*corrupt.llmml*");
    }

    [Fact]
    public void MissingPromptColumnIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new QuestionRow { Question = "1 + 1 =", Answer = "2" } });
        var estimator = ml.Llm().ScoreAnswers(Options(), _lm);
        var fit = () => estimator.Fit(data);
        fit.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Prompt'*not found*");

        using var fitted = estimator.Fit(Load(ml, _task));
        var transform = () => fitted.Transform(data);
        transform.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Prompt'*not found*Question*");
    }

    [Fact]
    public void OpenEndedTaskAskedForScoreIsRejected()
    {
        var open = FixedTask("open-task", null, [new TaskExample("1 + 1 =", "2")]);
        var act = () => ScoreAnswersOptions.ForTask(open);
        act.Should().Throw<ArgumentException>().WithMessage("*'open-task'*open-ended*closed answer set*");
        var viaCatalog = () => new MLContext().Llm().ScoreAnswers(open, _dir);
        viaCatalog.Should().Throw<ArgumentException>().WithMessage("*'open-task'*open-ended*");
        ScoreAnswersOptions.ForTask(open, closedSet: false).AnswerSet.Should().BeNull();
    }

    [Fact]
    public void MissingModelDirectoryIsNamed()
    {
        var missing = Path.Combine(_dir, "no-such-model");
        var act = () => new MLContext().Llm().ScoreAnswers(_task, missing);
        act.Should().Throw<DirectoryNotFoundException>().WithMessage($"*'{missing}' does not exist*");
    }

    [Fact]
    public void ModelDirectoryIsLoadedAtFitAndScoresLikeTheModelItHolds()
    {
        var modelDir = Path.Combine(_dir, "model");
        _lm.Save(modelDir);
        var ml = new MLContext(seed: 1);
        var data = Load(ml, _task);
        var options = ScoreAnswersOptions.ForTask(_task, modelDirectory: modelDir);
        (options.Generate, options.MaxNewTokens, options.BatchSize) = (true, 4, 4);
        using var fromDir = ml.Llm().ScoreAnswers(options).Fit(data);
        using var given = ml.Llm().ScoreAnswers(Options(), _lm).Fit(data);
        ShouldBeIdentical(Read(given.Transform(data)), Read(fromDir.Transform(data)));
    }

    private sealed class QuestionRow
    {
        public string Question { get; set; } = "";
        public string Answer { get; set; } = "";
    }
}
