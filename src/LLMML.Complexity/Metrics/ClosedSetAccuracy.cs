using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using Microsoft.ML;

namespace LLMML.Complexity.Metrics;

/// <summary>
/// Closed-set accuracy: <c>mlContext.Llm().ScoreAnswers</c> ranks the task's answer set by log p(" " + answer +
/// terminator | prefix + prompt), and <c>mlContext.MulticlassClassification.Evaluate</c> reports the micro-accuracy.
/// Slower than <see cref="FirstWordExactMatch"/> (every candidate answer is scored).
/// </summary>
public sealed class ClosedSetAccuracy : IComplexityMetric
{
    private readonly MLContext _mlContext;

    /// <param name="answerTerminator">Text scored after each answer (see ScoreAnswersOptions.AnswerTerminator).</param>
    public ClosedSetAccuracy(MLContext mlContext, string answerTerminator = "\n", int batchSize = 16)
    {
        _mlContext = mlContext ?? throw new ArgumentNullException(nameof(mlContext));
        AnswerTerminator = answerTerminator ?? throw new ArgumentNullException(nameof(answerTerminator));
        BatchSize = batchSize;
    }

    public string AnswerTerminator { get; }

    public int BatchSize { get; }

    public string Name => "closed-set-accuracy";

    public double Minimum => 0;

    public double Maximum => 1;

    public double Score(LanguageModel model, string promptPrefix, EvaluationSet test, IProgress<ProgressUpdate>? progress, string stage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        var answers = test.AnswerSet
            ?? throw new ArgumentException("Closed-set accuracy needs the test split's answer set (a key-typed Label column with key values).", nameof(test));
        var task = InMemoryTask.OfTest("complexity-test", test.Examples.Select(e => e with { Prompt = promptPrefix + e.Prompt }).ToArray(), answers,
            "test rows with a program's prompt prefix");
        var data = TaskDataViews.Create(_mlContext, task, TaskSplits.Test);
        var options = new ScoreAnswersOptions
        {
            AnswerSet = answers, AnswerColumn = null, AnswerTerminator = AnswerTerminator, BatchSize = BatchSize,
            TruncateLongPrompts = false, CancellationToken = cancellationToken,
            Progress = SynchronousProgress.Restaged(progress, stage),
        };
        using var scorer = _mlContext.Llm().ScoreAnswers(options, model).Fit(data);
        return _mlContext.MulticlassClassification.Evaluate(scorer.Transform(data)).MicroAccuracy;
    }
}
