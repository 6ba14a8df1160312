using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LLMML.LanguageModels.Devices;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Training;
using Spectre.Console;
using static LLMML.Foundation.Benchmarks.BenchmarkTiming;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Cli.Commands;

/// <summary>
/// `llmml bench lm`: forward pass and one AdamW training step of the LM core on the CPU, for a tiny, a small and a
/// GPT-2-small-shaped config with random weights (batch 8 × 64 tokens). Medians over several runs after a warm-up.
/// With <c>--peer pytorch</c> the same decoder runs in PyTorch (bench/pytorch_peer.py), interleaved with ours config by
/// config, at 1 and 2 threads, so both sides see the same machine load.
/// </summary>
internal static class BenchLmCommand
{
    public static Command Create()
    {
        var json = CommonOptions.JsonFile();
        var runs = new Option<int>("--runs") { Description = "Timed runs per measurement (after one warm-up); the GPT-2-small config uses at most 3.", DefaultValueFactory = _ => 5 };
        var family = new Option<string>("--family") { Description = "Architecture family of the benchmarked configs: gpt2, llama or phi.", DefaultValueFactory = _ => "gpt2" };
        var skipLarge = new Option<bool>("--skip-large") { Description = "Skip the 124M GPT-2-small-shaped config." };
        var only = new Option<string[]>("--config") { Description = "Run only these configs (tiny-2L, small-6L, gpt2-small-124M); repeatable.", AllowMultipleArgumentsPerToken = true };
        var peer = new Option<string?>("--peer") { Description = "Also run the identical model in another framework, interleaved with ours: pytorch (Debian's python3-torch with OpenBLAS)." };
        var python = new Option<string>("--python") { Description = "Python interpreter that has torch, for --peer pytorch.", DefaultValueFactory = _ => "/usr/bin/python3" };
        var busy = new Option<bool>("--busy") { Description = "Keep one extra process busy (a `yes > /dev/null` loop) while measuring, to see how both sides cope with a taken core." };
        var threads = CommonOptions.Threads();
        var lm = new Command("lm", "Forward and AdamW-step time and peak memory of tiny, small and GPT-2-small-shaped transformers (CPU, batch 8 × 64), optionally against PyTorch.")
        {
            json, runs, family, skipLarge, only, peer, python, busy, threads,
        };
        lm.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse, threads);
            CommonOptions.CheckOutputFile(parse.GetValue(json)?.FullName);
            var peerName = parse.GetValue(peer);
            // Against a peer, 1 and 2 threads unless one count was asked for; alone, torch's current setting.
            int[] threadCounts = parse.GetValue(threads) is { } n ? [n] : peerName is null ? [get_num_threads()] : [1, 2];
            return Run(parse.GetValue(json)?.FullName, Math.Max(1, parse.GetValue(runs)), parse.GetValue(family)!, parse.GetValue(skipLarge), parse.GetValue(only) ?? [],
                peerName, parse.GetValue(python)!, parse.GetValue(busy), threadCounts);
        });
        return lm;
    }

    private const int Batch = 8;
    private const int Tokens = 64;
    private const string InstallHint = "install Debian's PyTorch with OpenBLAS: sudo apt-get install python3-torch libopenblas0-pthread";

    private sealed record Side(long Parameters, double ForwardMsMedian, double ForwardCpuMsMedian, double TrainStepMsMedian, double TrainStepCpuMsMedian, double PeakRssMb);

    private sealed record Gemm(int Threads, double OursGflops, double? PeerGflops);

    private static double GemmGflops()
    {
        using var scope = NewDisposeScope();
        var a = randn(512, 768);
        var b = randn(768, 3072);
        var (ms, _) = Timed(7, () =>
        {
            for (var i = 0; i < 10; i++) a.matmul(b).Dispose();
        });
        return 2.0 * 512 * 768 * 3072 * 10 / (ms / 1000) / 1e9;
    }

    private static double? PeerGemmGflops(string python, string script, int threads)
    {
        using var process = Process.Start(PeerStart(python, [script, "--gemm", "--threads", $"{threads}"], threads))!;
        var stdout = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode != 0 || line is null) return null;
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.TryGetProperty("gemm_gflops", out var g) ? g.GetDouble() : null;
    }

    private sealed record Result(
        string Name, string Family, int Threads, long Parameters, int Layers, long Hidden, int Heads, long Vocabulary, int Runs,
        double ForwardMsMedian, double ForwardCpuMsMedian, double ForwardTokensPerSecond, double TrainStepMsMedian, double TrainStepCpuMsMedian,
        double PeakRssMb, PeerResult? Peer);

    private sealed record PeerResult(
        string Framework, string Version, string[] Blas, long Parameters, double ForwardMsMedian, double ForwardCpuMsMedian,
        double TrainStepMsMedian, double TrainStepCpuMsMedian, double PeakRssMb, double ForwardRatio, double TrainStepRatio);

    private static int Run(string? jsonPath, int runs, string family, bool skipLarge, string[] only, string? peer, string python, bool busy, int[] threadCounts)
    {
        if (family is not ("gpt2" or "llama" or "phi"))
        {
            AnsiConsole.MarkupLine($"[red]Unknown family '{Markup.Escape(family)}'; use gpt2, llama or phi.[/]");
            return 2;
        }
        string? peerScript = null;
        if (peer is not null)
        {
            if (peer != "pytorch")
            {
                AnsiConsole.MarkupLine($"[red]Unknown peer '{Markup.Escape(peer)}'; the only peer is pytorch.[/]");
                return 2;
            }
            if (family != "gpt2")
            {
                AnsiConsole.MarkupLine("[red]The PyTorch peer implements the gpt2 family only; drop --family or --peer.[/]");
                return 2;
            }
            peerScript = Path.Combine(AppContext.BaseDirectory, "bench", "pytorch_peer.py");
            if (!File.Exists(peerScript))
            {
                AnsiConsole.MarkupLine($"[red]The peer script {Markup.Escape(peerScript)} is missing from the build output.[/]");
                return 2;
            }
            if (ProbePython(python) is { } problem)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(problem)}; {Markup.Escape(InstallHint)}.[/]");
                return 2;
            }
        }

        var configs = new List<(string Name, TransformerConfig Config)>
        {
            ("tiny-2L", Shape(family, hidden: 128, layers: 2, heads: 4, vocabulary: 512)),
            ("small-6L", Shape(family, hidden: 384, layers: 6, heads: 6, vocabulary: 8192)),
        };
        if (!skipLarge) configs.Add(("gpt2-small-124M", Shape(family, hidden: 768, layers: 12, heads: 12, vocabulary: 50257)));
        if (only.FirstOrDefault(name => configs.All(c => c.Name != name)) is { } unknown)
        {
            AnsiConsole.MarkupLine($"[red]Unknown config '{Markup.Escape(unknown)}'; use {string.Join(", ", configs.Select(c => c.Name))}.[/]");
            return 2;
        }
        if (only.Length > 0) configs.RemoveAll(c => !only.Contains(c.Name));

        var runtime = TorchRuntime.Describe();
        using var busyLoop = busy ? BusyLoop.Start() : null;
        var loadBefore = LoadAverage();
        AnsiConsole.MarkupLine($"TorchSharp {runtime.TorchSharpVersion}, libtorch {runtime.LibTorchVersion}, CPU ({Environment.ProcessorCount} cores), " +
            $"batch {Batch} × {Tokens} tokens, threads {string.Join(" and ", threadCounts)}{(busy ? ", one extra busy process" : "")}");
        var results = new List<Result>();
        var gemms = new List<Gemm>();
        foreach (var threadCount in threadCounts)
        {
            set_num_threads(threadCount);
            // The one GEMM behind most of the time (an MLP projection of the GPT-2 shape): tells a BLAS gap from the rest.
            var gemm = new Gemm(threadCount, GemmGflops(), peerScript is null ? null : PeerGemmGflops(python, peerScript, threadCount));
            gemms.Add(gemm);
            AnsiConsole.MarkupLine($"[grey]fp32 GEMM 512×768 · 768×3072, {threadCount} thread(s): {gemm.OursGflops:F0} GFLOP/s" +
                (gemm.PeerGflops is { } g ? $", PyTorch {g:F0} GFLOP/s" : "") + "[/]");
            foreach (var (name, config) in configs)
            {
                var timedRuns = config.HiddenSize >= 768 ? Math.Min(runs, 3) : runs;
                AnsiConsole.MarkupLine($"[grey]{Markup.Escape(name)}, {threadCount} thread(s): {timedRuns} runs...[/]");
                var ours = Measure(config, timedRuns);
                PeerResult? peerResult = null;
                if (peerScript is not null)
                {
                    AnsiConsole.MarkupLine($"[grey]{Markup.Escape(name)}, {threadCount} thread(s): PyTorch peer...[/]");
                    var (result, error) = RunPeer(python, peerScript, config, threadCount, timedRuns, ours);
                    if (error is not null)
                    {
                        AnsiConsole.MarkupLine($"[red]PyTorch peer failed: {Markup.Escape(error)}[/]");
                        return 1;
                    }
                    peerResult = result;
                }
                results.Add(new Result(name, config.ModelType, threadCount, ours.Parameters, config.NumLayers, config.HiddenSize, config.NumHeads,
                    config.VocabularySize, timedRuns, ours.ForwardMsMedian, ours.ForwardCpuMsMedian, Batch * Tokens / (ours.ForwardMsMedian / 1000.0),
                    ours.TrainStepMsMedian, ours.TrainStepCpuMsMedian, ours.PeakRssMb, peerResult));
            }
        }
        var loadAfter = LoadAverage();

        Render(results, peerScript is not null);
        foreach (var g in gemms)
            AnsiConsole.MarkupLine($"fp32 GEMM 512×768 · 768×3072, {g.Threads} thread(s): {g.OursGflops:F0} GFLOP/s" +
                (g.PeerGflops is { } peerGflops ? $" (PyTorch {peerGflops:F0})" : "") + " — median of 7 × 10 products, wall time.");
        AnsiConsole.MarkupLine("Medians of wall-clock time (fwd = forward without gradients, step = one AdamW training step incl. forward, backward, update); " +
            "RSS = peak resident memory while measuring that config.");
        if (peerScript is not null)
            AnsiConsole.MarkupLine("ratio = ours / PyTorch (below 1: we are faster); CPU ratio = the same for process CPU time, steadier than wall time on a loaded machine. Peer: OMP_WAIT_POLICY=PASSIVE, OPENBLAS_NUM_THREADS = threads, " +
                "no OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE.");
        AnsiConsole.MarkupLine($"Load average (1 min) before / after: {Format(loadBefore)} / {Format(loadAfter)}; a load above the core count inflates wall times.");

        if (jsonPath is not null)
        {
            var report = new
            {
                benchmark = "lm",
                date = DateTime.UtcNow.ToString("O"),
                torchsharp = runtime.TorchSharpVersion,
                libtorch = runtime.LibTorchVersion,
                cores = Environment.ProcessorCount,
                omp_wait_policy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"),
                busy_process = busy,
                load_average_before = loadBefore,
                load_average_after = loadAfter,
                device = "cpu",
                batch = Batch,
                tokens = Tokens,
                optimizer = "AdamW(lr 1e-4)",
                loss = "cross-entropy (next token)",
                gemm_512x768x3072 = gemms,
                results,
            };
            var full = Path.GetFullPath(jsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            LLMML.Foundation.Persistence.AtomicFile.WriteAllText(full, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(full)}");
        }
        return 0;
    }

    private static void Render(List<Result> results, bool withPeer)
    {
        // Redirected output defaults to 80 columns, which would wrap the table's cells.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        var table = new Table();
        if (withPeer)
        {
            table.AddColumns("threads", "config", "params", "fwd ms", "PyTorch fwd ms", "fwd ratio", "step ms", "PyTorch step ms", "step ratio",
                "CPU ratio fwd / step", "RSS MB", "PyTorch RSS MB");
            foreach (var r in results)
                table.AddRow($"{r.Threads}", r.Name, $"{r.Parameters / 1e6:F1}M", Ms(r.ForwardMsMedian), Ms(r.Peer!.ForwardMsMedian), $"{r.Peer.ForwardRatio:F2}",
                    Ms(r.TrainStepMsMedian), Ms(r.Peer.TrainStepMsMedian), $"{r.Peer.TrainStepRatio:F2}",
                    $"{r.ForwardCpuMsMedian / r.Peer.ForwardCpuMsMedian:F2} / {r.TrainStepCpuMsMedian / r.Peer.TrainStepCpuMsMedian:F2}",
                    $"{r.PeakRssMb:F0}", $"{r.Peer.PeakRssMb:F0}");
        }
        else
        {
            table.AddColumns("threads", "config", "family", "params", "fwd ms", "fwd CPU ms", "fwd tok/s", "step ms", "step CPU ms", "RSS MB");
            foreach (var r in results)
                table.AddRow($"{r.Threads}", r.Name, r.Family, $"{r.Parameters / 1e6:F1}M", Ms(r.ForwardMsMedian), Ms(r.ForwardCpuMsMedian), $"{r.ForwardTokensPerSecond:F0}",
                    Ms(r.TrainStepMsMedian), Ms(r.TrainStepCpuMsMedian), $"{r.PeakRssMb:F0}");
        }
        AnsiConsole.Write(table);
    }

    private static string Ms(double ms) => ms < 20 ? ms.ToString("F1", CultureInfo.InvariantCulture) : ms.ToString("F0", CultureInfo.InvariantCulture);

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

    private static Side Measure(TransformerConfig config, int runs)
    {
        PeakRss.Reset();
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
        using var optimizer = LeanAdamW.Create(model.parameters(), lr: 1e-4);   // the training loop's optimizer
        using var inputs = ids.narrow(1, 0, Tokens - 1);
        using var targets = ids.narrow(1, 1, Tokens - 1).reshape(-1);
        var (train, trainCpu) = Timed(runs, () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var logits = model.forward(inputs);
            var loss = nn.functional.cross_entropy(logits.reshape(-1, config.VocabularySize), targets);
            loss.backward();
            optimizer.step();
        });
        return new Side(model.ParameterCount, forward, forwardCpu, train, trainCpu, PeakRss.Megabytes());
    }

    /// <summary>Null when the interpreter runs and imports torch, else what is wrong.</summary>
    private static string? ProbePython(string python)
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(python, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            probe.StandardOutput.ReadToEnd();
            var stderr = probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            return probe.ExitCode == 0 ? null : $"{python} cannot import torch ({stderr.Trim().Split('\n').LastOrDefault()})";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"no Python interpreter at {python}";
        }
    }

    private static (PeerResult? Result, string? Error) RunPeer(string python, string script, TransformerConfig config, int threads, int runs, Side ours)
    {
        var start = PeerStart(python,
        [
            script, "--hidden", $"{config.HiddenSize}", "--layers", $"{config.NumLayers}", "--heads", $"{config.NumHeads}",
            "--vocab", $"{config.VocabularySize}", "--batch", $"{Batch}", "--tokens", $"{Tokens}", "--runs", $"{runs}", "--threads", $"{threads}",
        ], threads);
        using var process = Process.Start(start)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var stderr = stderrTask.Result;
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (line is null) return (null, $"no output (exit code {process.ExitCode}): {stderr.Trim()}");
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.TryGetProperty("error", out var error))
            return (null, $"{error.GetString()}" + (process.ExitCode == 3 ? $"; {InstallHint}" : ""));
        double Get(string name) => root.GetProperty(name).GetDouble();
        var forward = Get("forward_ms_median");
        var step = Get("train_step_ms_median");
        return (new PeerResult("pytorch", root.GetProperty("torch").GetString()!, root.GetProperty("blas").EnumerateArray().Select(b => b.GetString()!).ToArray(),
            root.GetProperty("parameters").GetInt64(), forward, Get("forward_cpu_ms_median"), step, Get("train_step_cpu_ms_median"), Get("peak_rss_mb"),
            ours.ForwardMsMedian / forward, ours.TrainStepMsMedian / step), null);
    }

    private static ProcessStartInfo PeerStart(string python, string[] arguments, int threads)
    {
        var start = new ProcessStartInfo(python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        // PyTorch 1.13's OpenBLAS ignores torch.set_num_threads; waiting threads must not spin on a shared machine; the
        // core-type and cache overrides some environments set would pick kernels for another CPU.
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        start.Environment["OPENBLAS_NUM_THREADS"] = $"{threads}";
        start.Environment["OMP_NUM_THREADS"] = $"{threads}";
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        return start;
    }

    /// <summary>Peak resident memory of this process since the last <see cref="Reset"/> (Linux: VmHWM, reset through clear_refs).</summary>
    private static class PeakRss
    {
        public static void Reset()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            // Hand freed heap pages back first: otherwise the previous config's memory still counts as resident.
            if (OperatingSystem.IsLinux()) malloc_trim(0);
            try { File.WriteAllText("/proc/self/clear_refs", "5"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* not Linux: the peak stays process-wide */ }
        }

        public static double Megabytes()
        {
            try
            {
                var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            return PeakWorkingSetMb();
        }
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int malloc_trim(nuint pad);

    /// <summary>One extra process spinning on a core for as long as this is alive (`yes &gt; /dev/null`).</summary>
    private sealed class BusyLoop : IDisposable
    {
        private readonly Process _process;

        private BusyLoop(Process process) => _process = process;

        public static BusyLoop Start() =>
            new(Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exec yes > /dev/null"]))!);

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
