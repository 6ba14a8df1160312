using System.CommandLine;
using System.Text.Json;
using LLMML.Cli.Rendering;
using LLMML.Eigenpruning;
using LLMML.Eigenpruning.Baselines;
using LLMML.Eigenpruning.Transforms;
using LLMML.Eigenpruning.Matrices;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Devices;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;
using Spectre.Console;
using TorchSharp;
using static LLMML.Foundation.Benchmarks.BenchmarkTiming;
using static TorchSharp.torch;

namespace LLMML.Cli.Commands;

/// <summary>
/// `llmml bench eigenprune`: what eigenpruning costs next to the LoRA step it is meant to undercut — one scoring pass over
/// N examples (SVD of every selected matrix, batched attribution, pruning) against one rank-1 LoRA training step on a
/// batch of the same examples, for an organism-shaped and a GPT-2-small-shaped model with random weights.
/// </summary>
internal static class BenchEigenpruneCommand
{
    private const int PromptTokens = 12, AnswerTokens = 3;

    // The step timed is one step of the comparison's LoRA baseline, with its rank, projections, batch and learning rate.
    private static readonly LoraBaseline Lora = new();

    public static Command Create()
    {
        var json = CommonOptions.JsonFile();
        var runs = new Option<int>("--runs") { Description = "Timed runs per measurement (after one warm-up); the GPT-2-small config uses at most 2.", DefaultValueFactory = _ => 3 };
        var examples = new Option<int>("--examples") { Description = "Examples scored per eigenpruning run.", DefaultValueFactory = _ => 256 };
        var matrices = new Option<string>("--matrices") { Description = "Matrix kinds decomposed (q,k,v,o,mlp-in,mlp-out).", DefaultValueFactory = _ => "q,k,v,o,mlp-in,mlp-out" };
        var skipLarge = new Option<bool>("--skip-large") { Description = "Skip the 124M GPT-2-small-shaped config." };
        var threads = CommonOptions.Threads();
        var command = new Command("eigenprune", "Seconds per eigenpruning fit (SVD, attribution, pruning) against seconds per LoRA step, tiny and GPT-2-small shapes.")
        {
            json, runs, examples, matrices, skipLarge, threads,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse, threads);
            CommonOptions.CheckOutputFile(parse.GetValue(json)?.FullName);
            return Run(parse.GetValue(json)?.FullName, Math.Max(1, parse.GetValue(runs)), Math.Max(2, parse.GetValue(examples)),
                MatrixKinds.Parse(parse.GetValue(matrices)!), parse.GetValue(skipLarge));
        });
        return command;
    }

    private sealed record Result(
        string Name, long Parameters, int Examples, int SingularValues, double FitMs, double FitCpuMs, double ExamplesPerSecond,
        double LoraStepMs, double FitInLoraSteps, double PeakWorkingSetMb);

    private static int Run(string? jsonPath, int runs, int exampleCount, IReadOnlyList<LanguageModels.Hooks.WeightKind> kinds, bool skipLarge)
    {
        var configs = new List<(string Name, TransformerConfig Config)>
        {
            ("organism-d128-4L", TransformerConfig.Gpt2(128, 4, 4, vocabulary: 100, positions: 160)),
        };
        if (!skipLarge) configs.Add(("gpt2-small-124M", TransformerConfig.Gpt2(768, 12, 12)));
        var runtime = TorchRuntime.Describe();
        var loadBefore = LoadAverage();
        AnsiConsole.MarkupLine($"TorchSharp {runtime.TorchSharpVersion}, libtorch {runtime.LibTorchVersion}, {runtime.Threads} threads, CPU; " +
                               $"{exampleCount} examples of {PromptTokens} + {AnswerTokens} tokens; matrices {string.Join(",", kinds.Select(MatrixKinds.NameOf))}");
        var results = new List<Result>();
        foreach (var (name, config) in configs)
        {
            var timedRuns = config.HiddenSize >= 768 ? Math.Min(runs, 2) : runs;
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(name)}: {timedRuns} runs...[/]");
            results.Add(Measure(name, config, exampleCount, kinds, timedRuns));
        }
        var loadAfter = LoadAverage();

        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 140);
        var table = new Table().AddColumns("config", "params", "examples", "singular values", "fit ms", "fit CPU ms", "examples/s", "LoRA step ms", "fit = LoRA steps", "RSS MB");
        foreach (var r in results)
            table.AddRow(r.Name, $"{r.Parameters / 1e6:F1}M", $"{r.Examples}", $"{r.SingularValues:N0}", $"{r.FitMs:F0}", $"{r.FitCpuMs:F0}",
                $"{r.ExamplesPerSecond:F0}", $"{r.LoraStepMs:F0}", $"{r.FitInLoraSteps:F1}", $"{r.PeakWorkingSetMb:F0}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"Medians. fit = decompose + score + prune (20%); LoRA step = one rank-{Lora.Rank} AdamW step of the LoRA baseline on {Lora.BatchSize} examples.");
        AnsiConsole.MarkupLine($"Load average (1 min) before / after: {Format(loadBefore)} / {Format(loadAfter)}; a load above the core count inflates wall times.");
        if (jsonPath is not null)
        {
            var report = new
            {
                benchmark = "eigenprune", date = DateTime.UtcNow.ToString("O"), torchsharp = runtime.TorchSharpVersion, libtorch = runtime.LibTorchVersion,
                threads = runtime.Threads, load_average_before = loadBefore, load_average_after = loadAfter, device = "cpu",
                prompt_tokens = PromptTokens, answer_tokens = AnswerTokens, matrices = kinds.Select(MatrixKinds.NameOf), results,
            };
            var full = Path.GetFullPath(jsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            LLMML.Foundation.Persistence.AtomicFile.WriteAllText(full, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(full)}");
        }
        return 0;
    }

    private static Result Measure(string name, TransformerConfig config, int exampleCount, IReadOnlyList<LanguageModels.Hooks.WeightKind> kinds, int runs)
    {
        random.manual_seed(0);
        // Any tokenizer does: the examples are token ids already.
        using var lm = new LanguageModel(new CausalLanguageModel(config), new CharacterTokenizer("ab"));
        var generator = new Random(1);
        int[] Ids(int n) => Enumerable.Range(0, n).Select(_ => generator.Next((int)config.VocabularySize)).ToArray();
        var examples = Enumerable.Range(0, exampleCount).Select(_ => new PromptAnswerTokens(Ids(PromptTokens), Ids(AnswerTokens))).ToArray();
        var settings = new EigenpruneSettings { Matrices = kinds, BatchSize = 16 };

        var singularValues = 0;
        var (fit, fitCpu) = Timed(runs, () =>
        {
            using var copy = lm.Clone();
            singularValues = Eigenpruner.Prune(copy, examples, settings).Candidates;
        });

        using var tuned = lm.Clone();
        LanguageModels.Adapters.LoraAdapters.Apply(tuned.Model, new LanguageModels.Adapters.LoraOptions { Rank = Lora.Rank, Alpha = Lora.Rank, TargetPattern = Lora.TargetPattern, Seed = 0 });
        using var optimizer = optim.AdamW(tuned.Model.parameters().Where(p => p.requires_grad), lr: Lora.LearningRate);
        var batch = examples.Take(Lora.BatchSize).ToArray();
        var (step, _) = Timed(runs, () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            AnswerFineTuning.Loss(tuned, batch).backward();
            optimizer.step();
        });
        return new Result(name, lm.Model.ParameterCount, exampleCount, singularValues, fit, fitCpu, exampleCount / (fit / 1000.0), step, fit / step, PeakWorkingSetMb());
    }
}
