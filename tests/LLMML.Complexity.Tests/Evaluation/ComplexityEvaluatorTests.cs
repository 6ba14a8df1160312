using System.Text;
using System.Text.Json.Nodes;
using LLMML.Complexity.Coding;
using LLMML.Complexity.Evaluation;
using LLMML.Complexity.Metrics;
using LLMML.Complexity.Reporting;
using LLMML.Complexity.Strategies;
using LLMML.MLNet.Tasks;
using Microsoft.ML;

namespace LLMML.Complexity.Tests.Evaluation;

public class ComplexityEvaluatorTests
{
    private static ComplexityOptions Options(params ComplexityModel[] models) => new()
    {
        TaskName = "tiny",
        Models = models,
        Strategies =
        [
            new PlainPromptStrategy(),
            new HandWrittenPromptStrategy(["yes\n"]),
            new InContextExamplesStrategy([0, 2, 8]),
            new PrequentialTrainingStrategy([8], loraRanks: [0]),
            new LoraStrategy([1], [16, 2], targets: [LoraTargets.QueryValue]),
            new FullFineTuneStrategy(),
        ],
        Budget = new ComplexityBudget { TrainingSteps = 3, BatchSize = 4 },
        Targets = [0.1],
    };

    [Fact]
    public void EveryStrategyReportsItsRealLength()
    {
        var ml = new MLContext(seed: 0);
        using var lm = TinyModels.Create(seed: 1, context: 40);
        var train = TinyModels.SumRows(20);
        var (trainView, testView) = TinyModels.Views(ml, train, TinyModels.SumRows(10, offset: 20));

        var report = ml.Llm().Complexity(Options(ComplexityModel.From(lm, "tiny"))).Evaluate(trainView, testView);

        report.Runs.Select(r => (r.Strategy, r.Configuration)).Should().Equal(
            ("plain", "-"), ("prompt", "#1 \"yes\\n\""), ("icl", "k=0"), ("icl", "k=2"), ("prequential", "N=8 epoch=1"),
            ("lora", "qv r=1 bits=16"), ("lora", "qv r=1 bits=2"), ("full", "steps=3"));
        // 8 examples of ~10 characters cannot fit a 40-position context with a test row after them.
        report.Notes.Should().ContainSingle().Which.Should().Contain("icl k=8").And.Contain("context");
        foreach (var run in report.Runs)
        {
            run.FixedCodeBits.Should().Be(8 * Encoding.UTF8.GetByteCount(run.FixedCode));
            run.Bits.Should().Be(run.FixedCodeBits + run.PayloadBits);
            run.Score.Should().BeInRange(0, 1);
        }
        var coder = new LanguageModelCoder(lm);
        report.Runs.Single(r => r.Configuration == "k=2").PayloadBits.Should().Be(coder.EncodeText(InContextExamplesStrategy.Prefix(train, 2)).Bits.BitLength);
        report.Runs.Single(r => r.Strategy == "prompt").PayloadBits.Should().Be(coder.EncodeText("yes\n").Bits.BitLength);
        report.Runs.Single(r => r.Strategy == "plain").PayloadBits.Should().Be(0);
        // LoRA on q_proj and v_proj of 2 layers, rank 1, d = 32: 4 adapters × (A [1, 32] + B [32, 1]) = 256 parameters in 8 tensors.
        // Header: γ(rank 1) 1 bit, γ(bits), γ(alpha 16) 9 bits, the target bit.
        report.Runs.Single(r => r.Configuration == "qv r=1 bits=16").PayloadBits.Should().Be(16 * 256 + 1 + 9 + 9 + 1);
        report.Runs.Single(r => r.Configuration == "qv r=1 bits=2").PayloadBits.Should().Be(2 * 256 + 16 * 8 + 1 + 3 + 9 + 1);
        report.Runs.Single(r => r.Configuration == "qv r=1 bits=2").PaperBits.Should().Be(8 * 1047 + 2 * 256 + 16 * 8 + 14);
        report.Runs.Single(r => r.Strategy == "plain").PaperBits.Should().Be(8 * 369);
        report.Runs.Single(r => r.Strategy == "full").PayloadBits.Should().Be(16 * lm.Model.parameters().Sum(p => p.numel()));
        report.Runs.Single(r => r.Strategy == "prequential").FixedCode.Should().Be(FixedInferenceCode.BuiltIn("prequential").Text);
        report.Runs.Should().OnlyContain(r => r.ProgramFile.EndsWith(".cs"));

        var json = JsonNode.Parse(report.ToJson())!;
        json["runs"]!.AsArray().Count.Should().Be(8);
        json["models"]![0]!["frontier"]!.AsArray().Count.Should().Be(report.Frontier("tiny").Count);
        report.ToDataFrame().Rows.Count.Should().Be(8);
        var png = Path.Combine(Path.GetTempPath(), $"complexity-{Guid.NewGuid():N}.png");
        try
        {
            report.SavePlot(png);
            File.ReadAllBytes(png).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
        }
        finally
        {
            File.Delete(png);
        }
    }

    [Fact]
    public void TheModelGivenIsNotModified()
    {
        var ml = new MLContext(seed: 0);
        using var lm = TinyModels.Create(seed: 1, context: 40);
        var before = lm.Model.parameters().Select(p => p.detach().clone()).ToArray();
        var (trainView, testView) = TinyModels.Views(ml, TinyModels.SumRows(20), TinyModels.SumRows(6, offset: 20));
        ml.Llm().Complexity(Options(ComplexityModel.From(lm, "tiny"))).Evaluate(trainView, testView);
        lm.Model.parameters().Zip(before).Should().OnlyContain(p => p.First.allclose(p.Second, 0, 0));
    }

    [Fact]
    public void BadInputGivesAClearError()
    {
        var ml = new MLContext(seed: 0);
        using var lm = TinyModels.Create(context: 40);
        var (trainView, testView) = TinyModels.Views(ml, TinyModels.SumRows(20), TinyModels.SumRows(5));
        var (_, emptyTest) = TinyModels.Views(ml, TinyModels.SumRows(20), []);

        var empty = () => ml.Llm().Complexity(Options(ComplexityModel.From(lm, "tiny"))).Evaluate(trainView, emptyTest);
        empty.Should().Throw<ArgumentException>().WithMessage("The test split is empty*");

        var target = Options(ComplexityModel.From(lm, "tiny"));
        target.Targets = [1.5];
        var outside = () => ml.Llm().Complexity(target);
        outside.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*1.5*outside*[0, 1]*exact-match*");

        var (_, unknownCharacters) = TinyModels.Views(ml, TinyModels.SumRows(20), [new TaskExample("7 - 2 =", "5")]);
        var unk = () => ml.Llm().Complexity(Options(ComplexityModel.From(lm, "tiny"))).Evaluate(trainView, unknownCharacters);
        unk.Should().Throw<ArgumentException>().WithMessage("Model 'tiny' cannot encode the task (test row 0)*7 - 2 = 5*<unk>*");

        var none = () => ml.Llm().Complexity(new ComplexityOptions());
        none.Should().Throw<ArgumentException>().WithMessage("*at least one model*");

        // A missing checkpoint is named when the evaluator is created, not after the models before it have run.
        var missing = Path.Combine(Path.GetTempPath(), $"llmml-no-model-{Guid.NewGuid():N}");
        var absent = () => ml.Llm().Complexity(Options(ComplexityModel.From(lm, "tiny"), ComplexityModel.FromDirectory(missing)));
        absent.Should().Throw<DirectoryNotFoundException>().WithMessage($"*'{missing}' does not exist*");
    }

    [Fact]
    public void CancellationStopsTheEvaluation()
    {
        var ml = new MLContext(seed: 0);
        using var lm = TinyModels.Create(context: 40);
        var (trainView, testView) = TinyModels.Views(ml, TinyModels.SumRows(20), TinyModels.SumRows(5));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var options = Options(ComplexityModel.From(lm, "tiny"));
        options.CancellationToken = cancelled.Token;
        var act = () => ml.Llm().Complexity(options).Evaluate(trainView, testView);
        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void ClosedSetAccuracyUsesTheLabelsKeyValues()
    {
        var ml = new MLContext(seed: 0);
        using var lm = TinyModels.Create(seed: 1, context: 40);
        var (trainView, testView) = TinyModels.Views(ml, TinyModels.SumRows(20), TinyModels.SumRows(6, offset: 20));
        var options = Options(ComplexityModel.From(lm, "tiny"));
        options.Strategies = [new PlainPromptStrategy()];
        options.Metric = new ClosedSetAccuracy(ml);
        var report = ml.Llm().Complexity(options).Evaluate(trainView, testView);

        // Reference: arg-max over the ten answers of the log-likelihood of " " + answer + "\n", scored naively.
        var coder = new LanguageModelCoder(lm);
        var rows = TinyModels.SumRows(6, offset: 20);
        var expected = rows.Count(e => Enumerable.Range(0, 10).MaxBy(a => -TinyModels.NaiveContinuationBits(lm, e.Prompt, $" {a}\n")).ToString() == e.Answer) / 6.0;
        report.Runs.Single().Score.Should().BeApproximately(expected, 1e-9);
        report.Metric.Should().Be("closed-set-accuracy");
        coder.Width.Should().Be(40);
    }
}
