using System.CommandLine;
using System.Globalization;
using LLMML.Cli.Rendering;
using LLMML.Complexity.Evaluation;
using LLMML.Complexity.Metrics;
using LLMML.Complexity.Reporting;
using LLMML.Complexity.Strategies;
using LLMML.Foundation.Persistence;
using LLMML.MLNet.Tasks;
using Microsoft.ML;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>
/// `llmml complexity`: task complexity of one task under several models — every strategy's programs with their lengths
/// in bits and scores, each model's Pareto frontier, C(δ) and the ratios between models.
/// </summary>
internal static class ComplexityCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "Checkpoint directories, comma-separated (named after the directory).", Required = true };
        var task = new Option<string>("--task") { Description = "Task name(s), comma-separated (see `llmml tasks`).", Required = true };
        var payloads = new Option<string?>("--payloads") { Description = "Write the payload file of every frontier run, with the test prompts, into DIR/TASK/MODEL/ (run them with src/LLMML.Complexity/Programs/*.cs)." };
        var output = new Option<string?>("--out") { Description = "Write TASK.json, TASK.png per task and summary.md (C(δ) under both accountings, ratios, seconds per strategy) into this directory." };
        var strategies = new Option<string?>("--strategies") { Description = "Comma-separated subset of plain,prompt,icl,prequential,lora,eigenprune,full (default all)." };
        var targets = new Option<double[]>("--target") { Description = "Target score(s) δ for C(δ); repeat for several.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [0.25, 0.5, 0.75, 0.9] };
        var plot = new Option<string?>("--plot") { Description = "Write the score-against-log₂-bits plot to this PNG." };
        var metric = new Option<string>("--metric") { Description = "exact-match (teacher-forced first word, fast) or closed-set (ScoreAnswers + ML.NET multiclass accuracy).", DefaultValueFactory = _ => "exact-match" };
        var testLimit = new Option<int?>("--test-limit") { Description = "Score only the first N test rows." };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps per training run.", DefaultValueFactory = _ => 200 };
        var batchSize = new Option<int>("--batch-size") { Description = "Examples per training step.", DefaultValueFactory = _ => 16 };
        var maxExamples = new Option<int>("--max-examples") { Description = "Largest N of the prequential strategy (8, 16, … doubling).", DefaultValueFactory = _ => 1024 };
        var maxShots = new Option<int>("--max-shots") { Description = "Most in-context examples (0, 1, 2, 4, …).", DefaultValueFactory = _ => 64 };
        var ranks = new Option<string>("--lora-ranks") { Description = "LoRA ranks, comma-separated.", DefaultValueFactory = _ => "1,2,4,8,16" };
        var loraTargets = new Option<string>("--lora-targets") { Description = "LoRA target sets, comma-separated: all (q,k,v,o,up,gate,down) and/or qv.", DefaultValueFactory = _ => "all,qv" };
        var prequentialRanks = new Option<string>("--prequential-ranks") { Description = "What prequential runs train, comma-separated: 0 = the whole model, r = a rank-r LoRA on all projections.", DefaultValueFactory = _ => "0,8" };
        var validationRows = new Option<int?>("--validation-rows") { Description = "Training rows held out to choose the prequential epoch on (default 10%, at most 200; 0 = none)." };
        var bits = new Option<string>("--lora-bits") { Description = "Bits per LoRA parameter, comma-separated.", DefaultValueFactory = _ => "16,8,4,2" };
        var loraSpace = new Option<FileInfo?>("--lora-space") { Description = "LoRA settings drawn from a search space (JSON over Targets, Rank, Bits, LearningRate; see docs/sweeps.md) instead of --lora-ranks/--lora-bits/--lora-targets." };
        var eigenpruneSpace = new Option<FileInfo?>("--eigenprune-space") { Description = "Eigenprune-mask settings drawn from a search space (JSON over Fraction, Ablation)." };
        var spaceSteps = new Option<int>("--space-steps") { Description = "Grid points per real range of --lora-space / --eigenprune-space (choices and integers: every value).", DefaultValueFactory = _ => 3 };
        var epochs = new Option<int>("--max-epochs") { Description = "Most epochs of a prequential run (each epoch is a program).", DefaultValueFactory = _ => 3 };
        var minutes = new Option<double>("--run-minutes") { Description = "Wall-clock limit of one training run.", DefaultValueFactory = _ => 10 };
        var prompts = new Option<string[]>("--prompt") { Description = "Hand-written prompt(s) for the prompt strategy (default: built-in ones for the task); \\n is a newline.", AllowMultipleArgumentsPerToken = true };
        var seed = new Option<int>("--seed") { Description = "Seed of training runs.", DefaultValueFactory = _ => 42 };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("complexity", "Task complexity: bits of the shortest program (prompt, examples, training data, adapter, weights) reaching each score, per model.")
        {
            models, task, output, payloads, strategies, targets, plot, metric, testLimit, steps, batchSize, maxExamples, maxShots, epochs, ranks, loraTargets, bits, loraSpace, eigenpruneSpace, spaceSteps, prequentialRanks, validationRows, minutes, prompts, seed, threads, json,
        };
        command.SetAction((parse, ct) =>
        {
            var modelDirectories = Split(parse.GetValue(models)!);
            if (parse.GetValue(loraSpace) is not null && new Option[] { ranks, bits, loraTargets }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } clash)
                throw new ArgumentException($"--lora-space replaces {clash.Name}; give one or the other.");
            if (parse.GetValue(spaceSteps) < 1) throw new ArgumentOutOfRangeException(nameof(spaceSteps), parse.GetValue(spaceSteps), "--space-steps must be at least 1.");
            var loraSettings = parse.GetValue(loraSpace) is { } loraFile
                ? StrategySpaces.Lora(loraFile.FullName, parse.GetValue(spaceSteps))
                : LoraStrategy.Grid(Ints(parse.GetValue(ranks)!), Ints(parse.GetValue(bits)!), targets: Targets(parse.GetValue(loraTargets)!));
            var maskSettings = parse.GetValue(eigenpruneSpace) is { } maskFile ? StrategySpaces.EigenpruneMask(maskFile.FullName, parse.GetValue(spaceSteps)) : null;
            CommonOptions.CheckOutputFile(parse.GetValue(plot), modelDirectories);
            CommonOptions.CheckOutputDirectory(parse.GetValue(output), modelDirectories);
            CommonOptions.CheckOutputDirectory(parse.GetValue(payloads), modelDirectories);
            CommonOptions.ApplyThreads(parse, threads);
            var ml = new MLContext(seed: 0);
            var llm = ml.Llm();
            var taskNames = Split(parse.GetValue(task)!).Select(t => llm.Tasks.Get(t).Name).ToArray();
            if (taskNames.Length == 0) throw new ArgumentException("Give at least one task.");
            if (taskNames.Length > 1 && parse.GetValue(plot) is not null) throw new ArgumentException("--plot takes one task; use --out DIR for several.");
            var reports = new List<ComplexityReport>();
            foreach (var taskName in taskNames)
            {
                var options = new ComplexityOptions
                {
                    TaskName = taskName,
                    Models = modelDirectories.Select(d => ComplexityModel.FromDirectory(d)).ToList(),
                    Strategies = Strategies(taskName, parse.GetValue(strategies), loraSettings, maskSettings, Ints(parse.GetValue(prequentialRanks)!), parse.GetValue(prompts)),
                    ValidationRows = parse.GetValue(validationRows),
                    Metric = parse.GetValue(metric) switch
                    {
                        "exact-match" => new FirstWordExactMatch(),
                        "closed-set" => new ClosedSetAccuracy(ml),
                        var other => throw new ArgumentException($"Unknown metric '{other}'; use exact-match or closed-set."),
                    },
                    Targets = parse.GetValue(targets)!.ToList(),
                    Budget = new ComplexityBudget
                    {
                        TrainingSteps = parse.GetValue(steps), BatchSize = parse.GetValue(batchSize), MaxTrainingExamples = parse.GetValue(maxExamples),
                        MaxInContextExamples = parse.GetValue(maxShots), MaxEpochs = parse.GetValue(epochs), TimeLimitPerRun = TimeSpan.FromMinutes(parse.GetValue(minutes)),
                    },
                    Seed = parse.GetValue(seed),
                    CancellationToken = ct,
                };
                var asJson = parse.GetValue(json);
                var report = ConsoleProgress.Run(asJson, progress =>
                {
                    options.Progress = progress;
                    return llm.Complexity(options).Evaluate(llm.Tasks.Load(taskName, TaskSplits.Train), llm.Tasks.Load(taskName, TaskSplits.Test, parse.GetValue(testLimit)));
                });
                reports.Add(report);
                if (parse.GetValue(plot) is { } path) report.SavePlot(path);
                if (parse.GetValue(output) is { } directory)
                {
                    Directory.CreateDirectory(directory);
                    AtomicFile.WriteAllText(Path.Combine(directory, taskName + ".json"), report.ToJson());
                    report.SavePlot(Path.Combine(directory, taskName + ".png"));
                    // Rewritten after every task, so an interrupted re-measurement keeps what it finished.
                    AtomicFile.WriteAllText(Path.Combine(directory, "summary.md"), ComplexitySummary.Markdown(reports));
                }
                if (parse.GetValue(payloads) is { } payloadDirectory)
                    WritePayloads(report, Path.Combine(payloadDirectory, taskName), llm.Tasks.Load(taskName, TaskSplits.Test, parse.GetValue(testLimit)));
                if (asJson) Console.WriteLine(report.ToJson());
                else Print(report);
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static IList<IComplexityStrategy> Strategies(string task, string? names, IReadOnlyList<LoraSetting> lora, IReadOnlyList<EigenpruneMaskSetting>? masks, int[] prequentialRanks, string[]? prompts)
    {
        var all = ComplexityOptions.DefaultStrategies(task).Select(s => s switch
        {
            LoraStrategy => new LoraStrategy(lora),
            EigenpruneMaskStrategy when masks is not null => new EigenpruneMaskStrategy(masks),
            PrequentialTrainingStrategy => new PrequentialTrainingStrategy(loraRanks: prequentialRanks),
            HandWrittenPromptStrategy when prompts is { Length: > 0 } => new HandWrittenPromptStrategy(prompts.Select(p => p.Replace("\\n", "\n", StringComparison.Ordinal))),
            _ => s,
        }).ToList();
        if (names is null) return all;
        return Split(names).Select(n => all.FirstOrDefault(s => s.Name == n)
            ?? throw new ArgumentException($"Unknown strategy '{n}'; known: {string.Join(", ", all.Select(s => s.Name))}.")).ToList();
    }

    /// <summary>
    /// The frontier runs' payloads as files a skeptic can run the programs on: DIR/MODEL/STRATEGY CONFIGURATION.bin, and
    /// DIR/inputs.txt with the test prompts (one per line, as the programs read them) and DIR/answers.txt.
    /// </summary>
    private static void WritePayloads(ComplexityReport report, string directory, Microsoft.ML.IDataView test)
    {
        var rows = TaskRows.Read(test, TaskDataViews.PromptColumn, TaskDataViews.AnswerColumn, "the test split");
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, "inputs.txt"), string.Concat(rows.Select(r => r.Prompt + "\n")));
        AtomicFile.WriteAllText(Path.Combine(directory, "answers.txt"), string.Concat(rows.Select(r => r.Answer + "\n")));
        foreach (var model in report.Models)
        {
            var folder = Path.Combine(directory, model);
            Directory.CreateDirectory(folder);
            foreach (var run in report.Frontier(model).Where(r => r.Payload is not null))
            {
                var name = string.Concat($"{run.Strategy} {run.Configuration}".Select(c => char.IsLetterOrDigit(c) || c is '=' or '.' or '-' ? c : '_'));
                run.Payload!.Write(Path.Combine(folder, name + ".bin"));
            }
        }
    }

    private static LoraTargets[] Targets(string list) => Split(list).Select(s => s switch
    {
        "all" => LoraTargets.AllProjections,
        "qv" => LoraTargets.QueryValue,
        _ => throw new ArgumentException($"Unknown LoRA target set '{s}'; use all or qv."),
    }).ToArray();

    private static void Print(ComplexityReport report)
    {
        var runs = new Table().AddColumns("model", "strategy", "configuration", "bits", "paper bits", "payload", report.Metric, "s");
        foreach (var r in report.Runs)
            runs.AddRow(Markup.Escape(r.Model), r.Strategy, Markup.Escape(Shorten(r.Configuration) + (r.Selected ? "" : " (not chosen)")), Number(r.Bits), Number(r.PaperBits), Number(r.PayloadBits),
                r.Score.ToString("P1", CultureInfo.InvariantCulture), r.Seconds.ToString("F0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(runs);
        foreach (var model in report.Models)
        {
            var frontier = new Table().Title(Markup.Escape($"frontier: {model}")).AddColumns("bits", report.Metric, "strategy", "configuration");
            foreach (var r in report.Frontier(model))
                frontier.AddRow(Number(r.Bits), r.Score.ToString("P1", CultureInfo.InvariantCulture), r.Strategy, Markup.Escape(Shorten(r.Configuration)));
            AnsiConsole.Write(frontier);
        }
        // Our program bytes, the paper's script sizes, and ours if the prequential epoch were chosen on the test split.
        var complexity = new Table().Title("C(δ) in bits: ours | paper's script sizes | ours, epoch chosen on test").AddColumn("model");
        foreach (var t in report.Targets) complexity.AddColumn("δ = " + t.ToString(CultureInfo.InvariantCulture));
        foreach (var model in report.Models)
            complexity.AddRow([Markup.Escape(model), .. report.Targets.Select(t => string.Join(" | ",
                Cell(report.Complexity(model, t)), Cell(report.Complexity(model, t, Accounting.Paper)), Cell(report.Complexity(model, t, Accounting.Ours, true))))]);
        AnsiConsole.Write(complexity);
        for (var i = 0; i < report.Models.Count; i++)
            for (var j = i + 1; j < report.Models.Count; j++)
                foreach (var t in report.Targets)
                    AnsiConsole.MarkupLineInterpolated($"C_{report.Models[i]}({t}) / C_{report.Models[j]}({t}) = {Ratio(report.Ratio(report.Models[i], report.Models[j], t))} (paper's scripts {Ratio(report.Ratio(report.Models[i], report.Models[j], t, Accounting.Paper))}, epoch chosen on test {Ratio(report.Ratio(report.Models[i], report.Models[j], t, Accounting.Ours, true))})");
        var seconds = new Table().Title("seconds per strategy (build + score, all models)").AddColumns("strategy", "runs", "s");
        foreach (var (strategy, count, s) in report.SecondsPerStrategy())
            seconds.AddRow(strategy, count.ToString(CultureInfo.InvariantCulture), s.ToString("F1", CultureInfo.InvariantCulture));
        AnsiConsole.Write(seconds);
        foreach (var note in report.Notes) AnsiConsole.MarkupLineInterpolated($"[grey]{note}[/]");
    }

    private static string Cell(long? bits) => bits is { } b ? Number(b) : "—";

    private static string Ratio(double? ratio) => ratio is { } x ? x.ToString("G4", CultureInfo.InvariantCulture) + "×" : "—";

    private static string Shorten(string text) => text.Length <= 28 ? text : text[..27] + "…";

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int[] Ints(string list) => Split(list).Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
        : throw new ArgumentException($"'{s}' is not an integer.")).ToArray();
}
