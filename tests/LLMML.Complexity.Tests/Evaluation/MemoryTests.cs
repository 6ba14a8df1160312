using LLMML.Complexity.Coding;
using LLMML.Complexity.Evaluation;
using LLMML.Complexity.Metrics;
using LLMML.Complexity.Strategies;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Training;
using Microsoft.ML;
using TorchSharp;

namespace LLMML.Complexity.Tests.Evaluation;

public class MemoryTests
{
    [Fact]
    public void CodingAndScoringLeaveNoLiveTensors()
    {
        using var lm = TinyModels.Create(context: 24);
        var coder = new LanguageModelCoder(lm);
        var rows = new EvaluationSet(TinyModels.SumRows(10));
        void Work()
        {
            coder.DecodeText(coder.EncodeText("1 + 2 = 3\n").Bits).Should().Be("1 + 2 = 3\n");
            new FirstWordExactMatch { BatchSize = 4 }.Score(lm, "1 + 1 = 2\n", rows, null, "score", default);
        }
        Work();
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++) Work();
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);
    }

    /// <summary>
    /// LanguageModel.Clone and the TrainingLoop themselves leave live tensor handles (17 and 36 for this model, one per
    /// bias and one per parameter: an LM-core issue, reported), so the strategies are held to that baseline: three
    /// training runs may leave what three bare clone + train calls leave, and nothing more.
    /// </summary>
    [Fact]
    public void TrainingStrategiesLeaveNothingBeyondCloneAndTrainingLoop()
    {
        var ml = new MLContext(seed: 0);
        using var lm = TinyModels.Create(context: 24);
        var (train, test) = TinyModels.Views(ml, TinyModels.SumRows(16), TinyModels.SumRows(4, offset: 16));
        var options = new ComplexityOptions
        {
            Models = [ComplexityModel.From(lm, "tiny")],
            Strategies = [new PrequentialTrainingStrategy([8]), new LoraStrategy([1], [16, 4]), new FullFineTuneStrategy(), new PlainPromptStrategy(), new InContextExamplesStrategy([1])],
            Budget = new ComplexityBudget { TrainingSteps = 2, BatchSize = 4 },
        };
        void Evaluate() => ml.Llm().Complexity(options).Evaluate(train, test).Runs.Should().HaveCount(6);
        void CloneAndTrain()
        {
            using var clone = lm.Clone();
            AnswerFineTuning.Train(clone, TinyModels.SumRows(8).Select(e => TrainingTargets.For(clone, e)).ToArray(), new TrainingOptions { MaxSteps = 2 }, 4);
        }
        Evaluate();
        CloneAndTrain();
        var start = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++) CloneAndTrain();
        var baseline = DisposeScopeManager.Statistics.ThreadTotalLiveCount - start;
        Evaluate();
        (DisposeScopeManager.Statistics.ThreadTotalLiveCount - start - baseline).Should().BeLessThanOrEqualTo(baseline);
    }
}
