using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using LLMML.LanguageModels.Devices;
using LLMML.LanguageModels.Modeling;
using LLMML.Cli.Rendering;
using Spectre.Console;
using static LLMML.Foundation.Benchmarks.BenchmarkTiming;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Cli.Commands;

/// <summary>
/// `llmml bench lm`: forward throughput and one AdamW training step of the LM core on the CPU, for a tiny, a small and a
/// GPT-2-small-shaped config with random weights (batch 8 × 64 tokens). Medians over several runs after a warm-up.
/// </summary>
internal static class BenchLmCommand
{
    public static Command Create()
    {
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file." };
        var runs = new Option<int>("--runs") { Description = "Timed runs per measurement (after one warm-up); the GPT-2-small config uses at most 3.", DefaultValueFactory = _ => 5 };
        var family = new Option<string>("--family") { Description = "Architecture family of the benchmarked configs: gpt2, llama or phi.", DefaultValueFactory = _ => "gpt2" };
        var skipLarge = new Option<bool>("--skip-large") { Description = "Skip the 124M GPT-2-small-shaped config." };
        var threads = CommonOptions.Threads();
        var lm = new Command("lm", "Forward tokens/s and training-step time of tiny, small and GPT-2-small-shaped transformers (CPU, batch 8 × 64).")
        {
            json, runs, family, skipLarge, threads,
        };
        lm.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse, threads);
            CommonOptions.CheckOutputFile(parse.GetValue(json));
            return Run(parse.GetValue(json), Math.Max(1, parse.GetValue(runs)), parse.GetValue(family)!, parse.GetValue(skipLarge));
        });
        return lm;
    }

    private const int Batch = 8;
    private const int Tokens = 64;

    private sealed record Result(
        string Name, string Family, long Parameters, int Layers, long Hidden, int Heads, long Vocabulary, int Runs,
        double ForwardMsMedian, double ForwardCpuMsMedian, double ForwardTokensPerSecond, double TrainStepMsMedian, double TrainStepCpuMsMedian,
        double PeakWorkingSetMb);

    private static int Run(string? jsonPath, int runs, string family, bool skipLarge)
    {
        if (family is not ("gpt2" or "llama" or "phi"))
        {
            AnsiConsole.MarkupLine($"[red]Unknown family '{Markup.Escape(family)}'; use gpt2, llama or phi.[/]");
            return 2;
        }
        var configs = new List<(string Name, TransformerConfig Config)>
        {
            ("tiny-2L", Shape(family, hidden: 128, layers: 2, heads: 4, vocabulary: 512)),
            ("small-6L", Shape(family, hidden: 384, layers: 6, heads: 6, vocabulary: 8192)),
        };
        if (!skipLarge) configs.Add(("gpt2-small-124M", Shape(family, hidden: 768, layers: 12, heads: 12, vocabulary: 50257)));

        var runtime = TorchRuntime.Describe();
        var loadBefore = LoadAverage();
        AnsiConsole.MarkupLine($"TorchSharp {runtime.TorchSharpVersion}, libtorch {runtime.LibTorchVersion}, {runtime.Threads} threads, CPU, batch {Batch} × {Tokens} tokens");
        var results = new List<Result>();
        foreach (var (name, config) in configs)
        {
            var timedRuns = config.HiddenSize >= 768 ? Math.Min(runs, 3) : runs;
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(name)}: {timedRuns} runs...[/]");
            results.Add(Measure(name, config, timedRuns));
        }

        var loadAfter = LoadAverage();
        // Redirected output defaults to 80 columns, which would wrap the table's cells.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 140);
        var table = new Table().AddColumns("config", "family", "params", "fwd ms", "fwd CPU ms", "fwd tok/s", "step ms", "step CPU ms", "RSS MB");
        foreach (var r in results)
            table.AddRow(r.Name, r.Family, $"{r.Parameters / 1e6:F1}M", $"{r.ForwardMsMedian:F0}", $"{r.ForwardCpuMsMedian:F0}", $"{r.ForwardTokensPerSecond:F0}",
                $"{r.TrainStepMsMedian:F0}", $"{r.TrainStepCpuMsMedian:F0}", $"{r.PeakWorkingSetMb:F0}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"Medians of wall-clock and process CPU time (fwd = forward, step = one AdamW training step; peak RSS of the process so far).");
        AnsiConsole.MarkupLine($"Load average (1 min) before / after: {Format(loadBefore)} / {Format(loadAfter)}; a load above the core count inflates wall times.");

        if (jsonPath is not null)
        {
            var report = new
            {
                benchmark = "lm",
                date = DateTime.UtcNow.ToString("O"),
                torchsharp = runtime.TorchSharpVersion,
                libtorch = runtime.LibTorchVersion,
                threads = runtime.Threads,
                load_average_before = loadBefore,
                load_average_after = loadAfter,
                device = "cpu",
                batch = Batch,
                tokens = Tokens,
                optimizer = "AdamW(lr 1e-4)",
                loss = "cross-entropy (next token)",
                results,
            };
            var full = Path.GetFullPath(jsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            LLMML.Foundation.Persistence.AtomicFile.WriteAllText(full, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(full)}");
        }
        return 0;
    }

    private static TransformerConfig Shape(string family, long hidden, int layers, int heads, long vocabulary) => family switch
    {
        "gpt2" => TransformerConfig.Gpt2(hidden, layers, heads, vocabulary, positions: 1024),
        "llama" => new TransformerConfig
        {
            ModelType = "llama", HiddenSize = hidden, NumLayers = layers, NumHeads = heads, NumKeyValueHeads = heads,
            IntermediateSize = hidden * 8 / 3, VocabularySize = vocabulary, MaxPositionEmbeddings = 1024, Activation = "silu",
            NormEpsilon = 1e-6, TieWordEmbeddings = true,
        }.Validate(),
        _ => new TransformerConfig
        {
            ModelType = "phi", HiddenSize = hidden, NumLayers = layers, NumHeads = heads, IntermediateSize = 4 * hidden,
            VocabularySize = vocabulary, MaxPositionEmbeddings = 1024, PartialRotaryFactor = 0.5, Activation = "gelu_new",
            TieWordEmbeddings = false, QkvBias = true, OutputBias = true, MlpBias = true, LmHeadBias = true,
        }.Validate(),
    };

    private static Result Measure(string name, TransformerConfig config, int runs)
    {
        random.manual_seed(0);
        using var model = new CausalLanguageModel(config);
        using var ids = randint(0, config.VocabularySize, [Batch, Tokens], dtype: ScalarType.Int64);

        model.eval();
        var (forward, forwardCpu) = Timed(runs, () =>
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            model.forward(ids);
        });

        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-4);
        var inputs = ids.narrow(1, 0, Tokens - 1);
        var targets = ids.narrow(1, 1, Tokens - 1).reshape(-1);
        var (train, trainCpu) = Timed(runs, () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var logits = model.forward(inputs);
            var loss = nn.functional.cross_entropy(logits.reshape(-1, config.VocabularySize), targets);
            loss.backward();
            optimizer.step();
        });

        var peak = PeakWorkingSetMb();
        return new Result(name, config.ModelType, model.ParameterCount, config.NumLayers, config.HiddenSize, config.NumHeads,
            config.VocabularySize, runs, forward, forwardCpu, Batch * Tokens / (forward / 1000.0), train, trainCpu, peak);
    }
}
