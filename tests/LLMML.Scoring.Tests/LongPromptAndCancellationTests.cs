using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using static LLMML.Scoring.Tests.TinyScoringSetup;

namespace LLMML.Scoring.Tests;

public sealed class LongPromptAndCancellationTests : IDisposable
{
    private readonly LanguageModel _lm = CreateModel(seed: 5);

    public void Dispose() => _lm.Dispose();

    // 60 characters: more than the tiny model's 48 positions.
    private static readonly string LongPrompt = string.Concat(Enumerable.Range(0, 12).Select(i => $"{i % 10} + {(i * 3) % 10}")).PadRight(60, '=')[..60];

    private static InMemoryTask Task() => FixedTask("long", null, [new TaskExample(LongPrompt, "12"), new TaskExample("1 + 2 =", "3")]);

    [Fact]
    public void LongPromptsKeepTheirEndAndAreScoredLikeTheTruncatedPrompt()
    {
        var ml = new MLContext(seed: 1);
        var data = Load(ml, Task());
        var scored = ml.Llm().ScoreAnswers(new ScoreAnswersOptions(), _lm).Fit(data).Transform(data);
        var ll = scored.GetColumn<float>(LlmMetrics.AnswerLogLikelihoodColumn).ToArray();
        // " 12\n" (answer + terminator) is 4 tokens, so 44 prompt characters fit.
        ((double)ll[0]).Should().BeApproximately(NaiveLogLikelihood(_lm, LongPrompt[^44..], " 12\n"), 2e-4);
        ((double)ll[1]).Should().BeApproximately(NaiveLogLikelihood(_lm, "1 + 2 =", " 3\n"), 2e-4);
    }

    [Fact]
    public void WithoutTruncationALongPromptNamesItsRow()
    {
        var ml = new MLContext(seed: 1);
        var data = Load(ml, Task());
        var scored = ml.Llm().ScoreAnswers(new ScoreAnswersOptions { TruncateLongPrompts = false }, _lm).Fit(data).Transform(data);
        var act = () => scored.GetColumn<float>(LlmMetrics.AnswerLogLikelihoodColumn).ToArray();
        act.Should().Throw<InvalidOperationException>().WithMessage("*Row 0*60 tokens*48 positions*TruncateLongPrompts*");
    }

    [Fact]
    public void ACancelledTokenStopsScoring()
    {
        var ml = new MLContext(seed: 1);
        var data = Load(ml, Task());
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var scored = ml.Llm().ScoreAnswers(new ScoreAnswersOptions { CancellationToken = cts.Token, Generate = true }, _lm).Fit(data).Transform(data);
        var act = () => scored.GetColumn<float>(LlmMetrics.AnswerLogLikelihoodColumn).ToArray();
        act.Should().Throw<OperationCanceledException>();
    }
}
