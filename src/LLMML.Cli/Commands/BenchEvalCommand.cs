using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using LLMML.LanguageModels.Devices;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using Microsoft.ML;
using Spectre.Console;
using static LLMML.Foundation.Benchmarks.BenchmarkTiming;

namespace LLMML.Cli.Commands;

/// <summary>
/// `llmml bench eval`: rows per second of answer scoring on each task with a shipped organism — closed-set scores and the
/// gold answer's log-likelihood with the prompt's key/value cache shared across the answer trie's paths (today's
/// scorer) and with the prompt recomputed for every path (the former one), and the whole of `llmml eval` (scoring plus
/// greedy generation). Both scorers run in the same process on the same rows, so the speed-up reads off one table.
/// </summary>
internal static class BenchEvalCommand
{
    private static readonly string[] DefaultTasks = ["count", "int-add-long", "int-sum", "int-mult", "dyck"];

    public static Command Create()
    {
        var json = CommonOptions.JsonFile();
        var model = new Option<string>("--model") { Description = "Checkpoint directory.", DefaultValueFactory = _ => Path.Combine("data", "models", "post") };
        var tasks = new Option<string>("--tasks") { Description = "Comma-separated task names.", DefaultValueFactory = _ => string.Join(",", DefaultTasks) };
        var rows = new Option<int>("--rows") { Description = "Test rows scored per task and scorer.", DefaultValueFactory = _ => 32 };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per batch, as in `llmml eval`.", DefaultValueFactory = _ => 16 };
        var threads = CommonOptions.Threads();
        var command = new Command("eval", "Rows/s of answer scoring per task: prompt cache shared across answer paths vs recomputed, and the whole `llmml eval`.")
        {
            json, model, tasks, rows, batchSize, threads,
        };
        command.SetAction((parse, ct) =>
        {
            CommonOptions.ApplyThreads(parse, threads);
            var names = parse.GetValue(tasks)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var directory = parse.GetValue(model)!;
            if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Model directory '{directory}' does not exist.");
            CommonOptions.CheckOutputFile(parse.GetValue(json)?.FullName);
            return Task.FromResult(Run(parse.GetValue(json)?.FullName, directory, names, Math.Max(1, parse.GetValue(rows)), Math.Max(1, parse.GetValue(batchSize)), ct));
        });
        return command;
    }

    private sealed record Result(
        string Task, int Rows, int Answers, double SharedRowsPerSecond, double RecomputedRowsPerSecond, double SpeedUp, double EvalRowsPerSecond,
        bool SameScores, double MaxLogLikelihoodDifference);

    private static int Run(string? jsonPath, string modelDirectory, IReadOnlyList<string> taskNames, int rowCount, int batchSize, CancellationToken ct)
    {
        var ml = new MLContext(seed: 0);
        var llm = ml.Llm();
        var runtime = TorchRuntime.Describe();
        using var lm = LanguageModel.Load(modelDirectory);
        var loadBefore = LoadAverage();
        AnsiConsole.MarkupLine($"TorchSharp {runtime.TorchSharpVersion}, libtorch {runtime.LibTorchVersion}, {runtime.Threads} threads, CPU; " +
                               $"{Markup.Escape(modelDirectory)}, {rowCount} test rows per task, batches of {batchSize}");
        var results = new List<Result>();
        foreach (var name in taskNames)
        {
            var task = llm.Tasks.Get(name);
            var data = llm.Tasks.Load(task.Name, TaskSplits.Test, rowCount);
            var closed = task.IsClosed(TaskSplits.Test);
            ScoreAnswersOptions Options(bool share, bool generate)
            {
                var options = ScoreAnswersOptions.ForTask(task, closed);
                options.BatchSize = batchSize;
                options.SharePromptCache = share;
                options.Generate = generate;
                options.CancellationToken = ct;
                return options;
            }
            // One warm-up batch (JIT, allocator), then one timed pass per scorer over the same rows.
            Score(ml, lm, Options(true, false), llm.Tasks.Load(task.Name, TaskSplits.Test, Math.Min(rowCount, batchSize)));
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(name)}...[/]");
            var (shared, sharedSeconds) = Score(ml, lm, Options(true, false), data);
            var (recomputed, recomputedSeconds) = Score(ml, lm, Options(false, false), data);
            var (_, evalSeconds) = Score(ml, lm, Options(true, true), data);
            var same = shared.Predicted.SequenceEqual(recomputed.Predicted);
            var difference = shared.LogLikelihoods.Zip(recomputed.LogLikelihoods, (a, b) => Math.Abs((double)a - b)).DefaultIfEmpty().Max();
            var n = shared.LogLikelihoods.Count;
            results.Add(new Result(name, n, task.AnswerSet?.Count ?? 0, n / sharedSeconds, n / recomputedSeconds, recomputedSeconds / sharedSeconds, n / evalSeconds,
                same, difference));
        }
        var loadAfter = LoadAverage();

        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 140);
        var table = new Table().AddColumns("task", "rows", "answers", "rows/s shared cache", "rows/s recomputed", "speed-up", "rows/s `llmml eval`", "same predictions", "max |Δ log-lik|");
        foreach (var r in results)
            table.AddRow(r.Task, $"{r.Rows}", $"{r.Answers}", $"{r.SharedRowsPerSecond:F1}", $"{r.RecomputedRowsPerSecond:F1}", $"{r.SpeedUp:F1}×",
                $"{r.EvalRowsPerSecond:F1}", r.SameScores ? "yes" : "[red]no[/]", $"{r.MaxLogLikelihoodDifference:E1}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("Scoring = closed-set scores + gold answer log-likelihood; `llmml eval` adds greedy generation (shared cache).");
        AnsiConsole.MarkupLine($"Load average (1 min) before / after: {Format(loadBefore)} / {Format(loadAfter)}; a load above the core count inflates wall times.");
        if (jsonPath is not null)
        {
            var report = new
            {
                benchmark = "eval", date = DateTime.UtcNow.ToString("O"), torchsharp = runtime.TorchSharpVersion, libtorch = runtime.LibTorchVersion,
                threads = runtime.Threads, load_average_before = loadBefore, load_average_after = loadAfter, device = "cpu",
                model = Path.GetFullPath(modelDirectory), batch_size = batchSize, results,
            };
            var full = Path.GetFullPath(jsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            LLMML.Foundation.Persistence.AtomicFile.WriteAllBytes(full, JsonSerializer.SerializeToUtf8Bytes(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(full)}");
        }
        return 0;
    }

    private sealed record Scored(List<float> LogLikelihoods, List<uint> Predicted);

    /// <summary>Scores every row once (one cursor pass) and returns the gold log-likelihoods, predictions and wall seconds.</summary>
    private static (Scored Scores, double Seconds) Score(MLContext ml, LanguageModel lm, ScoreAnswersOptions options, IDataView data)
    {
        var clock = Stopwatch.StartNew();
        using var transformer = ml.Llm().ScoreAnswers(options, lm).Fit(data);
        var scored = transformer.Transform(data);
        var schema = scored.Schema;
        var llColumn = schema[LlmMetrics.AnswerLogLikelihoodColumn];
        var predictedColumn = options.AnswerSet is null ? (Microsoft.ML.DataViewSchema.Column?)null : schema[ClosedSetScoring.PredictedLabelColumn];
        var columns = new List<Microsoft.ML.DataViewSchema.Column> { llColumn };
        if (predictedColumn is { } p) columns.Add(p);
        if (options.Generate) columns.Add(schema[LlmMetrics.GeneratedColumn]);
        var result = new Scored([], []);
        using var cursor = scored.GetRowCursor(columns);
        var ll = cursor.GetGetter<float>(llColumn);
        var predicted = predictedColumn is { } c ? cursor.GetGetter<uint>(c) : null;
        var generated = options.Generate ? cursor.GetGetter<ReadOnlyMemory<char>>(schema[LlmMetrics.GeneratedColumn]) : null;
        float value = 0;
        uint label = 0;
        ReadOnlyMemory<char> text = default;
        while (cursor.MoveNext())
        {
            ll(ref value);
            result.LogLikelihoods.Add(value);
            predicted?.Invoke(ref label);
            result.Predicted.Add(label);
            generated?.Invoke(ref text);
        }
        return (result, clock.Elapsed.TotalSeconds);
    }
}
