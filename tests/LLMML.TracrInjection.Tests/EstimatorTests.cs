using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Tasks;
using LLMML.TestFramework;
using LLMML.TracrInjection.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace LLMML.TracrInjection.Tests;

public class EstimatorTests
{
    private const string Alphabet = TinyCountRows.Alphabet;

    private static IDataView CountRows(MLContext ml, int count, int seed) => TinyCountRows.Load(ml, count, seed);

    private static TracrInjectOptions Options() => new()
    {
        Program = "count_x",
        MaxNewTokens = 3,
        NaturalTexts = ["the cat saw a box", "a bird sang"],
        Injection = new() { Steps = 3, LmLearningRate = 1e-3, AdapterLearningRate = 1e-2, TaskBatchSize = 2 },
    };

    [Fact]
    public void Fit_trains_a_copy_transform_generates_and_decode_reads_every_variable()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyLanguageModels.CharacterGpt2(Alphabet, seed: 2, hidden: 32, layers: 4, context: 72);
        var before = lm.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var data = CountRows(ml, 6, seed: 3);
        using var injected = ml.Llm().TracrInject(Options(), lm).Fit(data);

        foreach (var (name, p) in lm.Model.named_parameters())
            p.allclose(before[name], 0, 0).Should().BeTrue($"the given model is never modified ({name})");
        injected.Model.Model.named_parameters().Any(p => !p.parameter.allclose(before[p.name], 0, 0)).Should().BeTrue("the copy was trained");
        injected.Report.Steps.Should().Be(3);
        injected.Report.CompiledLayers.Should().Be(3);
        injected.Report.TeacherExamples.Should().Be(6);

        var scored = injected.Transform(data);
        scored.GetColumn<ReadOnlyMemory<char>>(LlmMetrics.GeneratedColumn).Should().HaveCount(6);

        var prompt = CountTask.PromptFor("x y x");
        var decoded = injected.DecodeVariables([prompt]).Single();
        decoded.Tokens.Should().HaveCount(prompt.Length + 1, "the prompt and the separator whose position holds the trigger");
        decoded.CompiledInput[^1].ToString().Should().Be(":");
        decoded.Variables.Keys.Should().BeEquivalentTo(injected.Teacher.Variables.Select(v => v.Name));
        decoded.Variables.Values.Should().OnlyContain(v => v.Length == prompt.Length + 1);
    }

    [Fact]
    public void Save_and_load_through_mlcontext_model_restore_lm_adapter_layout_and_alignment()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyLanguageModels.CharacterGpt2(Alphabet, seed: 2, hidden: 32, layers: 4, context: 72);
        var data = CountRows(ml, 4, seed: 4);
        using var injected = ml.Llm().TracrInject(Options(), lm).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"inject-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(injected, data.Schema, path);
            var loaded = (TracrInjectTransformer)new MLContext().Llm().LoadModel(path, out _);
            using (loaded)
            {
                loaded.Adapter.weight!.allclose(injected.Adapter.weight!, 0, 0).Should().BeTrue();
                loaded.Adapter.bias!.allclose(injected.Adapter.bias!, 0, 0).Should().BeTrue();
                loaded.Alignment.Should().BeEquivalentTo(injected.Alignment);
                loaded.Report.Should().Be(injected.Report);
                var prompts = new[] { CountTask.PromptFor("x x y"), CountTask.PromptFor("y") };
                var a = injected.DecodeVariables(prompts);
                var b = loaded.DecodeVariables(prompts);
                for (var i = 0; i < prompts.Length; i++)
                    foreach (var (name, values) in a[i].Variables)
                        b[i].Variables[name].Should().Equal(values, name);
                loaded.Transform(data).GetColumn<ReadOnlyMemory<char>>(LlmMetrics.GeneratedColumn).Select(m => m.ToString())
                    .Should().Equal(injected.Transform(data).GetColumn<ReadOnlyMemory<char>>(LlmMetrics.GeneratedColumn).Select(m => m.ToString()));
            }
            var export = Path.Combine(Path.GetTempPath(), $"inject-hf-{Guid.NewGuid():N}");
            injected.ExportCheckpoint(export);
            using var reloaded = LLMML.LanguageModels.Generation.LanguageModel.Load(export);
            reloaded.Model.named_parameters().First().parameter.allclose(injected.Model.Model.named_parameters().First().parameter, 0, 0).Should().BeTrue();
            Directory.Delete(export, recursive: true);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bad_settings_are_refused_before_any_work_naming_the_setting()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyLanguageModels.CharacterGpt2(Alphabet, seed: 2, hidden: 32, layers: 4, context: 72);
        var unknown = Options();
        unknown.Program = "nope";
        var act = () => ml.Llm().TracrInject(unknown, lm);
        act.Should().Throw<ArgumentException>().WithMessage("Unknown injection program 'nope'. Known: dyck3, count_x, addition.*");
        var noText = Options();
        noText.NaturalTexts = [];
        var fit = () => ml.Llm().TracrInject(noText, lm).Fit(CountRows(ml, 2, seed: 6));
        fit.Should().Throw<ArgumentException>().WithMessage("The KL term needs natural text*");
        using var shallow = TinyLanguageModels.CharacterGpt2(Alphabet, seed: 2, hidden: 32, layers: 2, context: 72);
        var deep = () => ml.Llm().TracrInject(Options(), shallow).Fit(CountRows(ml, 2, seed: 6));
        deep.Should().Throw<ArgumentException>().WithMessage("The LM has 2 blocks but the compiled program has 3 layers*");
    }

    [Fact]
    public void A_resumed_run_equals_an_uninterrupted_one()
    {
        var ml = new MLContext(seed: 1);
        var dir = Path.Combine(Path.GetTempPath(), $"inject-ckpt-{Guid.NewGuid():N}");
        try
        {
            using var lm = TinyLanguageModels.CharacterGpt2(Alphabet, seed: 2, hidden: 32, layers: 4, context: 72);
            var data = CountRows(ml, 4, seed: 5);
            var straight = Options();
            straight.Injection.Steps = 4;
            using var full = ml.Llm().TracrInject(straight, lm).Fit(data);

            var first = Options();
            first.Injection.Steps = 4;
            first.Injection.CheckpointDirectory = dir;
            using var cts = new CancellationTokenSource();
            first.Progress = new Progress(u => { if (u.Stage.StartsWith("inject") && u.Completed >= 2) cts.Cancel(); });
            first.Injection.ProgressEvery = 1;
            first.CancellationToken = cts.Token;
            using (var part = ml.Llm().TracrInject(first, lm).Fit(data)) part.Report.Steps.Should().BeLessThan(4);

            var second = Options();
            second.Injection.Steps = 4;
            second.Injection.CheckpointDirectory = dir;
            using var resumed = ml.Llm().TracrInject(second, lm).Fit(data);
            resumed.Report.Steps.Should().Be(4);
            (resumed.Adapter.weight! - full.Adapter.weight!).abs().max().item<float>().Should().BeLessThan(1e-6f);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class Progress(Action<LLMML.Foundation.Progress.ProgressUpdate> report) : IProgress<LLMML.Foundation.Progress.ProgressUpdate>
    {
        public void Report(LLMML.Foundation.Progress.ProgressUpdate value) => report(value);
    }
}
