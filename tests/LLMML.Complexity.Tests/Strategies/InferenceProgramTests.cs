using System.Text.RegularExpressions;
using LLMML.Complexity.Metrics;
using LLMML.Complexity.Strategies;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;

namespace LLMML.Complexity.Tests.Strategies;

/// <summary>A tiny model saved to disk, as the programs load it, and loaded back as the strategies' model.</summary>
public sealed class SavedTinyModel : IDisposable
{
    public SavedTinyModel()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("llmml-complexity-model-").FullName;
        using (var created = TinyModels.Create(seed: 3, context: 48, sharpen: 2)) created.Save(Directory);
        Model = LanguageModel.Load(Directory);
    }

    public string Directory { get; }

    public LanguageModel Model { get; }

    public void Dispose()
    {
        Model.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>
/// Every strategy's inference program, compiled and run on its payload: what it prints must be, row by row, greedy
/// decoding's first word under the model and prefix the evaluator scored, and its accuracy must be the evaluator's.
/// </summary>
public class InferenceProgramTests(SavedTinyModel saved) : IClassFixture<SavedTinyModel>
{
    private static readonly TaskExample[] Train = TinyModels.SumRows(12);
    private static readonly TaskExample[] Validation = TinyModels.SumRows(4, offset: 12);
    private static readonly TaskExample[] Test = TinyModels.SumRows(6, offset: 16);

    public static TheoryData<string> Strategies => new(["plain", "prompt", "icl", "prequential", "lora", "eigenprune", "full"]);

    private static IComplexityStrategy Strategy(string name) => name switch
    {
        "plain" => new PlainPromptStrategy(),
        "prompt" => new HandWrittenPromptStrategy(["yes\n"]),
        "icl" => new InContextExamplesStrategy([0, 2]),
        // Two epochs of 2 batches: epoch 1 stops the program's training loop early, epoch 2 runs it out.
        "prequential" => new PrequentialTrainingStrategy([8], learningRate: 3e-3, loraRanks: [0, 2], loraLearningRate: 1e-2),
        "lora" => new LoraStrategy([1], [16, 4, 2], learningRate: 1e-2),
        "eigenprune" => new EigenpruneMaskStrategy([0.1], [Ablation.Zero, Ablation.Mean]),
        "full" => new FullFineTuneStrategy(learningRate: 3e-3),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Strategies))]
    public void TheProgramPrintsWhatTheEvaluatorScored(string name)
    {
        var metric = new FirstWordExactMatch();
        var validation = new EvaluationSet(Validation);
        var context = new StrategyContext("tiny", saved.Model, Train, Test, new ComplexityBudget { TrainingSteps = 4, BatchSize = 4, MaxTrainingExamples = 8, MaxEpochs = 2 },
            validationScore: m => metric.Score(m, "", validation, null, "validation", default));
        var programs = 0;
        foreach (var program in Strategy(name).Programs(context))
        {
            programs++;
            var because = $"{name} {program.Configuration}";
            program.Payload.BitLength.Should().Be(program.Length.PayloadBits, because);

            var printed = ProgramRunner.Run(program.Length.Code, saved.Directory, program.Payload, Test.Select(e => e.Prompt));

            printed.Should().Equal(FirstWords(program.Model, program.PromptPrefix), because);
            var accuracy = printed.Zip(Test, (p, e) => p == e.Answer ? 1.0 : 0.0).Average();
            accuracy.Should().Be(metric.Score(program.Model, program.PromptPrefix, new EvaluationSet(Test), null, "test", default), because);
        }
        programs.Should().BeGreaterThan(0);
    }

    [Fact]
    public void AProgramThatDiffersFromTheEvaluatorsModelIsCaught()
    {
        // The check above can fail: the plain program on a fine-tuned model's weights does not print the fine-tuned answers.
        var context = new StrategyContext("tiny", saved.Model, Train, Test, new ComplexityBudget { TrainingSteps = 30, BatchSize = 4 });
        using var programs = new FullFineTuneStrategy(learningRate: 3e-2).Programs(context).GetEnumerator();
        programs.MoveNext().Should().BeTrue();
        var program = programs.Current;
        var printed = ProgramRunner.Run(FixedInferenceCode.BuiltIn("plain"), saved.Directory, program.Payload, Test.Select(e => e.Prompt));
        printed.Should().NotEqual(FirstWords(program.Model, ""));
    }

    [Fact]
    public void OnePrequentialEpochPerRunIsSelectedOnValidation()
    {
        var metric = new FirstWordExactMatch();
        var validation = new EvaluationSet(Validation);
        var context = new StrategyContext("tiny", saved.Model, Train, Test, new ComplexityBudget { TrainingSteps = 9, BatchSize = 4, MaxEpochs = 3 },
            validationScore: m => metric.Score(m, "", validation, null, "validation", default));
        var runs = new PrequentialTrainingStrategy([8], learningRate: 3e-3, loraRanks: [0]).Programs(context)
            .Select(p => (p.Configuration, p.Selected, Validation: p.Details["validationScore"], Ideal: p.Length.IdealPayloadBits!.Value, Bits: p.Length.PayloadBits)).ToArray();
        runs.Select(r => r.Configuration).Should().Equal("N=8 epoch=1", "N=8 epoch=2", "N=8 epoch=3");
        var chosen = runs.Should().ContainSingle(r => r.Selected).Subject;
        chosen.Validation.Should().Be(runs.Max(r => r.Validation));
        runs.TakeWhile(r => !r.Selected).All(r => r.Validation < chosen.Validation).Should().BeTrue("ties go to the fewest epochs");
        // The epochs share the data's code; only the stop step differs (γ(2), γ(4), γ(6): 3, 5, 5 bits), and each code is
        // within the coder's 2 closing bits of its ideal length.
        runs.Select(r => Math.Round(r.Ideal - runs[0].Ideal, 9)).Should().Equal(0, 2, 2);
        runs.Should().OnlyContain(r => r.Bits <= Math.Ceiling(r.Ideal) + 2);
    }

    /// <summary>Greedy decoding's first word after the prompt, generating at most until the context is full.</summary>
    private static string[] FirstWords(LanguageModel model, string prefix)
    {
        var prompts = Test.Select(e => prefix + e.Prompt).ToArray();
        var room = (int)model.Config.MaxPositionEmbeddings - prompts.Max(p => model.EncodePrompt(p).Count);
        return model.Generate(prompts, new GenerationOptions { MaxNewTokens = Math.Min(32, room) })
            .Select(o => Regex.Match(o, @"^ ([\p{L}\p{N}]*)").Groups[1].Value).ToArray();
    }
}
