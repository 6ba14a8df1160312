using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLMML.Cli.Rendering;
using LLMML.Eigenpruning;
using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Baselines;
using LLMML.Eigenpruning.Comparison;
using LLMML.Eigenpruning.Transforms;
using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.Foundation.Persistence;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using Microsoft.ML;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>
/// `llmml eigenprune`: fits eigenpruning on a task's train split and reports test accuracy before and after, what was
/// removed and how long it took; with --baselines also random pruning, LASER, rank-1 LoRA and singular-value tuning on
/// the same examples.
/// </summary>
internal static class EigenpruneCommand
{
    private static readonly string[] BaselineNames = ["random", "smallest", "laser", "lora", "svft"];

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint directory (config.json, model.safetensors, tokenizer files).", Required = true };
        var task = new Option<string>("--task") { Description = "Task name (see `llmml tasks`): train split to prune on, test split to score.", Required = true };
        var fraction = new Option<double?>("--fraction") { Description = "Prune this share of the lowest-scored singular values (default 0.2)." };
        var count = new Option<int?>("--count") { Description = "Prune this many instead." };
        var threshold = new Option<double?>("--threshold") { Description = "Prune every singular value scored below this instead." };
        var matrices = new Option<string>("--matrices") { Description = "Matrix kinds: q,k,v,o,mlp-in,mlp-gate,mlp-out.", DefaultValueFactory = _ => "k" };
        var layers = new Option<string?>("--layers") { Description = "Blocks to prune, e.g. 2,3 (default all)." };
        var whole = new Option<bool>("--whole-matrices") { Description = "One SVD per attention projection instead of per head." };
        var reduction = new Option<EffectReduction>("--reduction") { Description = "Max (the paper), Mean or Quantile over examples and positions.", DefaultValueFactory = _ => EffectReduction.Max };
        var quantile = new Option<double>("--quantile") { Description = "The quantile of --reduction Quantile.", DefaultValueFactory = _ => 0.9 };
        var excludeUnchanged = new Option<bool>("--exclude-unchanged") { Description = "Leave (example, position) pairs with Δx = 0 out of the reduction." };
        var corruption = new Option<Corruption>("--corruption") { Description = "Cycle (default), SameLengthShuffle, Counterfactual (needs --counterfactual-swap) or BatchRoll (the released code's).", DefaultValueFactory = _ => Corruption.Cycle };
        var swap = new Option<string?>("--counterfactual-swap") { Description = "Two strings swapped in each prompt to make its counterfactual, e.g. mul:,add:." };
        var scorer = new Option<Scorer>("--scorer") { Description = "Linear (the paper's estimate) or Exact (each singular value removed in turn).", DefaultValueFactory = _ => Scorer.Linear };
        var exactExamples = new Option<int>("--exact-examples") { Description = "Training examples each exact ablation is measured on.", DefaultValueFactory = _ => 200 }.AtLeast(1);
        var exactBudget = new Option<int>("--exact-budget") { Description = "Refuse more exact ablations than this.", DefaultValueFactory = _ => 4096 }.AtLeast(1);
        var validate = new Option<string?>("--validate-counts") { Description = "Choose the count on held-out training rows among these, e.g. 1,2,4,8,16,32 (0 is always tried)." };
        var validationFraction = new Option<double>("--validation-fraction") { Description = "Share of training rows held out by --validate-counts.", DefaultValueFactory = _ => 0.25 };
        var paper = new Option<bool>("--paper-compatible") { Description = "The released code's behaviour: keys, batch 1 rolled as its own corruption (all scores 0), 20% in enumeration order. Overrides the scoring and selection options." };
        var trainTask = new Option<string?>("--train-task") { Description = "Prune on this task's train split instead of --task's (e.g. int-mult-cued with --corruption Counterfactual)." };
        var ablation = new Option<Ablation>("--ablation") { Description = "Mean (fold the mean into the bias, the paper) or Zero.", DefaultValueFactory = _ => Ablation.Mean };
        var maxExamples = new Option<int?>("--max-examples") { Description = "Use at most the first N train rows (default all)." }.AtLeast(1);
        var testLimit = new Option<int?>("--test-limit") { Description = "Score at most the first N test rows (default all)." }.AtLeast(1);
        var batchSize = new Option<int>("--batch-size") { Description = "Examples per scoring pass.", DefaultValueFactory = _ => 32 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Seeds the corruption pairing and the baselines.", DefaultValueFactory = _ => 0 };
        var baselines = new Option<string?>("--baselines")
        {
            Description = "Also run baselines on the same examples: all, or a list of random,laser,lora,svft.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps of the LoRA and singular-value-tuning baselines.", DefaultValueFactory = _ => 300 };
        var closedSet = new Option<bool>("--closed-set") { Description = "Also score closed-set accuracy (arg-max over the task's answers, ML.NET multiclass metrics); slower." };
        var save = new Option<string?>("--save") { Description = "Save the fitted transformer (LLMML archive) to this file." };
        var export = new Option<string?>("--export") { Description = "Export the pruned model as a Hugging Face checkpoint into this directory." };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("eigenprune", "Remove the singular values that hurt a task most and compare with baselines (Eigenpruning).")
        {
            model, task, fraction, count, threshold, matrices, layers, whole, reduction, ablation, maxExamples, testLimit, batchSize, seed,
            baselines, steps, closedSet, save, export, threads, json,
            quantile, excludeUnchanged, corruption, swap, scorer, exactExamples, exactBudget, validate, validationFraction, paper, trainTask,
        };
        command.SetAction((parse, ct) =>
        {
            // Before the work: an unwritable --save, or one inside the model directory, must not cost the whole run.
            CommonOptions.CheckOutputFile(parse.GetValue(save), parse.GetValue(model));
            CommonOptions.CheckOutputDirectory(parse.GetValue(export), parse.GetValue(model));
            CommonOptions.ApplyThreads(parse, threads);
            var options = new EigenpruneOptions
            {
                Matrices = MatrixKinds.Parse(parse.GetValue(matrices)!),
                Layers = parse.GetValue(layers) is { } l ? l.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray() : null,
                PerHead = !parse.GetValue(whole),
                Fraction = parse.GetValue(fraction), Count = parse.GetValue(count), Threshold = parse.GetValue(threshold),
                Reduction = parse.GetValue(reduction), Ablation = parse.GetValue(ablation),
                MaxExamples = parse.GetValue(maxExamples), BatchSize = parse.GetValue(batchSize), Seed = parse.GetValue(seed),
                Quantile = parse.GetValue(quantile), ExcludeUnchangedPositions = parse.GetValue(excludeUnchanged), Corruption = parse.GetValue(corruption),
                CounterfactualSwap = parse.GetValue(swap)?.Split(',', StringSplitOptions.TrimEntries),
                Scorer = parse.GetValue(scorer), ExactExamples = parse.GetValue(exactExamples), ExactBudget = parse.GetValue(exactBudget),
                ValidateCounts = ParseInts(parse.GetValue(validate), "--validate-counts"), ValidationFraction = parse.GetValue(validationFraction),
                CancellationToken = ct,
            };
            if (parse.GetValue(paper)) ApplyPaperCompatible(options);
            var chosen = parse.GetResult(baselines) is null ? [] : Baselines(parse.GetValue(baselines), parse.GetValue(seed), parse.GetValue(steps));
            var asJson = parse.GetValue(json);
            var result = Run(parse.GetValue(model)!, parse.GetValue(task)!, parse.GetValue(trainTask), options, parse.GetValue(testLimit), chosen, parse.GetValue(closedSet),
                parse.GetValue(save), parse.GetValue(export), asJson);
            if (asJson) Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else Print(result);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Sets <paramref name="options"/> to <see cref="EigenpruneSettings.PaperCompatible"/>'s scoring and selection.</summary>
    internal static void ApplyPaperCompatible(EigenpruneOptions options)
    {
        var paper = EigenpruneSettings.PaperCompatible(options.Seed);
        options.Matrices = paper.Matrices;
        options.PerHead = paper.PerHead;
        options.Fraction = paper.Fraction;
        options.Count = null;
        options.Threshold = null;
        options.ValidateCounts = null;
        options.Reduction = paper.Reduction;
        options.Ablation = paper.Ablation;
        options.Corruption = paper.Corruption;
        options.Scorer = paper.Scorer;
        options.ExcludeUnchangedPositions = false;
        options.BatchSize = paper.BatchSize;
    }

    internal static int[]? ParseInts(string? list, string option) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => int.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"{option}: '{x}' is not a whole number."))
            .ToArray();

    /// <summary>Per projection: zero / negative / positive scores and the share of scored positions with Δx = 0.</summary>
    internal static JsonArray Diagnostics(EigenpruneReport report) => new((report.Diagnostics ?? []).Select(d => (JsonNode)new JsonObject
    {
        ["matrix"] = $"L{d.Layer}.{d.Kind}",
        ["values"] = d.Values,
        ["zero"] = d.ZeroScores,
        ["negative"] = d.NegativeScores,
        ["positive"] = d.PositiveScores,
        ["unchangedShare"] = Math.Round(d.UnchangedShare, 4),
    }).ToArray());

    private static JsonObject Run(string modelDirectory, string taskName, string? trainTaskName, EigenpruneOptions options, int? testLimit,
        IReadOnlyList<IAdaptationBaseline> baselines, bool closedSet, string? savePath, string? exportDirectory, bool asJson)
    {
        var ml = new MLContext(seed: 0);
        var llm = ml.Llm();
        var task = llm.Tasks.Get(taskName);
        options.AnswerSet = task.AnswerSet;
        var trainView = llm.Tasks.Load(trainTaskName ?? task.Name, TaskSplits.Train, options.MaxExamples);
        var testView = llm.Tasks.Load(task.Name, TaskSplits.Test, testLimit);
        if (closedSet && !task.IsClosed(TaskSplits.Test))
            throw new ArgumentException($"Task '{task.Name}' has open-ended test answers; closed-set accuracy needs a closed answer set (drop --closed-set).");

        return ConsoleProgress.Run(asJson, progress =>
        {
            options.Progress = progress;
            using var original = LanguageModel.Load(modelDirectory);
            var test = Eigenpruner.Encode(original, TaskRows.Read(testView, options.PromptColumn, options.AnswerColumn!, "eigenprune"), options);
            Func<LanguageModel, double>? closed = closedSet ? m => ClosedSetAccuracy(ml, m, options, testView) : null;

            using var pruned = llm.Eigenprune(options, original).Fit(trainView);
            var report = pruned.Report;
            var before = EigenpruneComparison.Evaluate("original", original, test, options.Settings, 0, 0, "the model as given", closed, options.CancellationToken);
            var after = EigenpruneComparison.Evaluate("eigenprune", pruned.Model, test, options.Settings, report.Seconds, report.Pruned.Count,
                EigenpruneComparison.Describe(report, options.Settings), closed, options.CancellationToken);
            var train = baselines.Count == 0 ? [] : Eigenpruner.Encode(original, TaskRows.Read(trainView, options.PromptColumn, options.AnswerColumn!, "eigenprune"), options);
            var others = EigenpruneComparison.RunBaselines(original, train, test, options.Settings, report, baselines, closed, options.CancellationToken);
            if (savePath is not null) pruned.Save(savePath);
            if (exportDirectory is not null) pruned.ExportCheckpoint(exportDirectory);

            var node = new JsonObject
            {
                ["model"] = Path.GetFullPath(modelDirectory),
                ["task"] = task.Name,
                ["trainTask"] = trainTaskName ?? task.Name,
                ["scoring"] = options.Settings.DescribeScoring(),
                ["trainExamples"] = report.Examples,
                ["testExamples"] = test.Length,
                ["matrices"] = options.Settings.DescribeMatrices(),
                ["candidates"] = report.Candidates,
                ["pruned"] = report.Pruned.Count,
                ["before"] = Node(before),
                ["after"] = Node(after),
                ["scoringSeconds"] = Math.Round(report.ScoringSeconds, 3),
                ["seconds"] = Math.Round(report.Seconds, 3),
                ["positions"] = report.Positions,
                ["negativeScores"] = report.Matrices.Sum(m => m.NegativeScores),
                ["zeroScores"] = report.Diagnostics?.Sum(d => d.ZeroScores),
                ["diagnostics"] = Diagnostics(report),
                ["validation"] = report.Validation is null ? null : new JsonArray(report.Validation.Select(v => (JsonNode)$"k={v.Count}: {v.Accuracy:P1}").ToArray()),
                ["prunedByMatrix"] = new JsonArray(report.Matrices.Where(m => m.Pruned > 0)
                    .Select(m => (JsonNode)$"L{m.Layer}.{m.Kind}{(m.Head is { } h ? $".h{h}" : "")}: {m.Pruned}/{m.Rank}").ToArray()),
                ["baselines"] = new JsonArray(others.Select(r => (JsonNode)Node(r)).ToArray()),
                ["threads"] = TorchSharp.torch.get_num_threads(),
            };
            if (savePath is not null) node["saved"] = Path.GetFullPath(savePath);
            if (exportDirectory is not null) node["exported"] = Path.GetFullPath(exportDirectory);
            return node;
        });
    }

    private static double ClosedSetAccuracy(MLContext ml, LanguageModel model, EigenpruneOptions options, IDataView test)
    {
        var scoring = new ScoreAnswersOptions { AnswerSet = options.AnswerSet, BatchSize = options.BatchSize, CancellationToken = options.CancellationToken };
        using var scorer = ml.Llm().ScoreAnswers(scoring, model).Fit(test);
        return ml.MulticlassClassification.Evaluate(scorer.Transform(test)).MicroAccuracy;
    }

    private static IReadOnlyList<IAdaptationBaseline> Baselines(string? list, int seed, int steps)
    {
        var names = string.IsNullOrWhiteSpace(list) || list.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)
            ? BaselineNames
            : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Select(name => name.ToLowerInvariant() switch
        {
            "random" => (IAdaptationBaseline)new RandomPruningBaseline(seed),
            "smallest" => new SmallestMagnitudeBaseline(),
            "laser" => new LaserBaseline(),
            "lora" => new LoraBaseline { Steps = steps },
            "svft" => new SingularValueTuningBaseline { Steps = steps },
            _ => throw new ArgumentException($"Unknown baseline '{name}'; use all or a list of {string.Join(",", BaselineNames)}."),
        }).ToArray();
    }

    private static JsonObject Node(MethodResult r) => JsonNode.Parse(JsonSerializer.Serialize(r, ModelArchive.JsonOptions))!.AsObject();

    private static void Print(JsonObject result)
    {
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{result["task"]}: {result["trainExamples"]} train / {result["testExamples"]} test examples; pruned {result["pruned"]} of {result["candidates"]} singular values of {result["matrices"]} in {result["seconds"]} s"));
        var table = new Table().AddColumns("method", "accuracy", "closed-set", "answer log-lik.", "seconds", "parameters");
        var rows = new[] { result["before"], result["after"] }.Concat(result["baselines"]!.AsArray()).Select(r => r!.AsObject()).ToArray();
        foreach (var row in rows)
        {
            string Cell(string key, string format) => row[key] is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString(format, CultureInfo.InvariantCulture) : "–";
            table.AddRow(Markup.Escape(row["method"]!.ToString()), Cell("accuracy", "P1"), Cell("closedSetAccuracy", "P1"),
                Cell("meanLogLikelihood", "F3"), Cell("seconds", "F2"), Cell("parameters", "N0"));
        }
        AnsiConsole.Write(table);
        var diagnostics = new Table().AddColumns("matrix", "values", "score = 0", "< 0", "> 0", "Δx = 0 share");
        foreach (var d in result["diagnostics"]!.AsArray().Select(n => n!.AsObject()))
            diagnostics.AddRow(Markup.Escape(d["matrix"]!.ToString()), d["values"]!.ToString(), d["zero"]!.ToString(), d["negative"]!.ToString(), d["positive"]!.ToString(),
                d["unchangedShare"]!.GetValue<double>().ToString("P1", CultureInfo.InvariantCulture));
        AnsiConsole.Write(diagnostics);
        foreach (var row in rows) AnsiConsole.MarkupLine(Markup.Escape($"{row["method"]}: {row["details"]}"));
    }
}
