using LLMML.Eigenpruning.Pruning;
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

    [Fact]
    public void TrainingStrategiesLeaveNoLiveTensors()
    {
        var ml = new MLContext(seed: 0);
        using var lm = TinyModels.Create(context: 24);
        var (train, test) = TinyModels.Views(ml, TinyModels.SumRows(16), TinyModels.SumRows(4, offset: 16));
        var options = new ComplexityOptions
        {
            Models = [ComplexityModel.From(lm, "tiny")],
            Strategies =
            [
                new PrequentialTrainingStrategy([8], loraRanks: [0, 2]), new LoraStrategy([1], [16, 4], targets: [LoraTargets.AllProjections]), new FullFineTuneStrategy(), new PlainPromptStrategy(),
                new InContextExamplesStrategy([1]), new EigenpruneMaskStrategy([0.1], [Ablation.Mean]),
            ],
            Budget = new ComplexityBudget { TrainingSteps = 2, BatchSize = 4 },
        };
        void Evaluate() => ml.Llm().Complexity(options).Evaluate(train, test).Runs.Should().HaveCount(8);
        Evaluate();
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++) Evaluate();
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);
    }
}
