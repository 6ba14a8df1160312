using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLMML.Cli.Rendering;
using LLMML.Eigenpruning;
using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Baselines;
using LLMML.Eigenpruning.Comparison;
using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.Eigenpruning.Transforms;
using LLMML.Foundation.Persistence;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;
using Microsoft.ML;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>
/// `llmml eigenprune-reproduce`: the issue-21 reproduction row set on one organism and task — the original model, the
/// paper's recipe (keys; all matrices), linear scores with Δx = 0 excluded and with the mean, the exact scorer with a
/// validated count, the paper-compatible mode and its smallest-magnitude control, random and smallest-magnitude
/// pruning at the exact scorer's count, LASER, LoRA r=1 and SVFT-diag — each with wall seconds and accuracy on the
/// test split (and on extra test tasks), plus the diagnostics, the linear-vs-exact agreement and, with a competitor
/// task, the Jaccard overlap of its helping directions with the pruned ones.
/// </summary>
internal static class EigenpruneReproduceCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint directory.", Required = true };
        var task = new Option<string>("--task") { Description = "Task pruned on (train split) and scored (test split).", DefaultValueFactory = _ => "int-mult" };
        var alsoTest = new Option<string?>("--also-test") { Description = "Extra test tasks every row is scored on, e.g. int-mult-cued,int-add-cued." };
        var competitor = new Option<string?>("--competitor-task") { Description = "Score the same matrices exactly with this task's loss (e.g. int-add-cued) and report the Jaccard overlap of its helping directions with the pruned ones." };
        var matrices = new Option<string>("--matrices") { Description = "Matrices of the all-matrix rows.", DefaultValueFactory = _ => "q,k,v,o,mlp-in,mlp-out" };
        var counts = new Option<string>("--counts") { Description = "Counts tried by validated selection (0 is always tried).", DefaultValueFactory = _ => "1,2,4,8,16,32" };
        var exactExamples = new Option<int>("--exact-examples") { Description = "Training examples each exact ablation is measured on.", DefaultValueFactory = _ => 200 }.AtLeast(1);
        var exactBudget = new Option<int>("--exact-budget") { Description = "Most exact ablations (one forward each) the exact rows may run.", DefaultValueFactory = _ => 4096 }.AtLeast(1);
        var maxExamples = new Option<int?>("--max-examples") { Description = "Use at most the first N train rows." }.AtLeast(3);
        var testLimit = new Option<int?>("--test-limit") { Description = "Score at most the first N test rows." }.AtLeast(1);
        var steps = new Option<int>("--steps") { Description = "Optimizer steps of LoRA and SVFT-diag.", DefaultValueFactory = _ => 300 };
        var skip = new Option<string?>("--skip") { Description = "Rows to leave out: any of laser,lora,svft,exact." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seeds pairing, validation split and baselines." };
        var counterfactualTask = new Option<string?>("--counterfactual-task") { Description = "Also prune with the linear score on this task's train rows against their counterfactuals (e.g. int-mult-cued)." };
        var counterfactualSwap = new Option<string>("--counterfactual-swap") { Description = "The two strings swapped to make a counterfactual prompt.", DefaultValueFactory = _ => "mul:,add:" };
        var label = new Option<string?>("--label") { Description = "Organism label for the table (default: the model folder's name)." };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.JsonFile();
        var command = new Command("eigenprune-reproduce", "The eigenpruning reproduction table on one organism and task (issue 21): every scorer, the paper-compatible mode and the controls, with wall seconds.")
        {
            model, task, alsoTest, competitor, matrices, counts, exactExamples, maxExamples, testLimit, steps, skip, seed, label, threads, json,
            counterfactualTask, counterfactualSwap, exactBudget,
        };
        command.SetAction((parse, ct) =>
        {
            CommonOptions.CheckOutputFile(parse.GetValue(json)?.FullName, parse.GetValue(model));
            CommonOptions.ApplyThreads(parse, threads);
            var skipped = (parse.GetValue(skip) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).ToHashSet();
            var setup = new Setup(parse.GetValue(model)!, parse.GetValue(label), parse.GetValue(task)!,
                (parse.GetValue(alsoTest) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                parse.GetValue(competitor), MatrixKinds.Parse(parse.GetValue(matrices)!), EigenpruneCommand.ParseInts(parse.GetValue(counts), "--counts")!,
                parse.GetValue(exactExamples), parse.GetValue(exactBudget), parse.GetValue(maxExamples), parse.GetValue(testLimit), parse.GetValue(steps), skipped, parse.GetValue(seed),
                parse.GetValue(counterfactualTask), parse.GetValue(counterfactualSwap)!.Split(',', StringSplitOptions.TrimEntries));
            var result = ConsoleProgress.Run(false, progress => Run(setup, progress, ct));
            if (parse.GetValue(json) is { } file) AtomicFile.WriteAllText(file.FullName, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Print(result);
            return Task.FromResult(0);
        });
        return command;
    }

    private sealed record Setup(string Model, string? Label, string Task, string[] AlsoTest, string? Competitor, IReadOnlyList<LanguageModels.Hooks.WeightKind> Matrices,
        int[] Counts, int ExactExamples, int ExactBudget, int? MaxExamples, int? TestLimit, int Steps, HashSet<string> Skip, int Seed, string? CounterfactualTask, string[] Swap);

    private static JsonObject Run(Setup setup, IProgress<Foundation.Progress.ProgressUpdate> progress, CancellationToken ct)
    {
        var ml = new MLContext(seed: 0);
        var llm = ml.Llm();
        using var original = LanguageModel.Load(setup.Model);
        var encoding = new EigenpruneOptions();
        IReadOnlyList<TaskExample> Rows(string name, string split, int? limit) =>
            TaskRows.Read(llm.Tasks.Load(llm.Tasks.Get(name).Name, split, limit), encoding.PromptColumn, encoding.AnswerColumn!, "eigenprune-reproduce");
        PromptAnswerTokens[] Load(string name, string split, int? limit) => Eigenpruner.Encode(original, Rows(name, split, limit), encoding);
        var train = Load(setup.Task, TaskSplits.Train, setup.MaxExamples);
        var tests = new[] { setup.Task }.Concat(setup.AlsoTest).Select(t => (Name: t, Examples: Load(t, TaskSplits.Test, setup.TestLimit))).ToArray();
        var all = new EigenpruneSettings { Matrices = setup.Matrices, Seed = setup.Seed, BatchSize = 32, Progress = progress };
        var keys = all with { Matrices = [LanguageModels.Hooks.WeightKind.Key] };
        var rows = new JsonArray();
        var total = Stopwatch.StartNew();

        JsonObject Row(string method, LanguageModel m, double seconds, int? pruned, string details)
        {
            var node = new JsonObject { ["method"] = method, ["seconds"] = Math.Round(seconds, 2), ["pruned"] = pruned, ["details"] = details };
            foreach (var (name, examples) in tests)
                node[name] = Math.Round(AnswerEvaluator.Evaluate(m, examples, 64, progress, ct, $"evaluate {method} on {name}").Accuracy, 4);
            rows.Add(node);
            return node;
        }

        EigenpruneReport Eigen(string method, EigenpruneSettings settings, string details, PromptAnswerTokens[]? on = null, PromptAnswerTokens[]? counterfactuals = null)
        {
            using var copy = original.Clone();
            var clock = Stopwatch.StartNew();
            var report = Eigenpruner.Prune(copy, on ?? train, settings, ct, counterfactuals);
            var row = Row(method, copy, clock.Elapsed.TotalSeconds, report.Pruned.Count, $"{details}; {settings.DescribeScoring()}, {settings.DescribeMatrices()}");
            row["zeroScores"] = report.Diagnostics?.Sum(d => d.ZeroScores);
            row["negativeScores"] = report.Diagnostics?.Sum(d => d.NegativeScores);
            row["positiveScores"] = report.Diagnostics?.Sum(d => d.PositiveScores);
            if (report.Validation is { } v) row["validation"] = string.Join(" ", v.Select(p => $"{p.Count}:{p.Accuracy:P0}"));
            return report;
        }

        void Baseline(IAdaptationBaseline baseline, EigenpruneSettings settings, EigenpruneReport count, string method)
        {
            using var copy = original.Clone();
            var clock = Stopwatch.StartNew();
            var run = baseline.Adapt(copy, new BaselineContext(train, settings, count, progress, ct));
            Row(method, copy, clock.Elapsed.TotalSeconds, baseline is RandomPruningBaseline or SmallestMagnitudeBaseline ? count.Pruned.Count : null, run.Details);
        }

        Row("original", original, 0, null, "the model as given");
        var paperKeys = Eigen("eigenprune paper (k)", keys, "20%");
        var paperAll = Eigen("eigenprune paper (all)", all, "20%");
        Eigen("linear max, Δx=0 excluded, validated k", all with { ExcludeUnchangedPositions = true, ValidateCounts = setup.Counts }, "validated");
        Eigen("linear mean, validated k", all with { Reduction = EffectReduction.Mean, ValidateCounts = setup.Counts }, "validated");
        if (setup.CounterfactualTask is { } cfTask)
        {
            // Clean = the cued rows, corrupted = the same rows with the cue flipped: Δx carries only what the cue changes.
            var cfRows = Rows(cfTask, TaskSplits.Train, setup.MaxExamples);
            var swap = new EigenpruneOptions { CounterfactualSwap = setup.Swap };
            var clean = Eigenpruner.Encode(original, cfRows, encoding);
            var flipped = Eigenpruner.Encode(original, cfRows.Select((r, i) => r with { Prompt = swap.Counterfactual(r.Prompt, i) }).ToArray(), encoding);
            var cf = all with { Corruption = Corruption.Counterfactual };
            Eigen($"linear max, counterfactual ({cfTask})", cf, $"20%, {string.Join(" ↔ ", setup.Swap)}", clean, flipped);
            Eigen($"linear mean, counterfactual ({cfTask}), validated k", cf with { Reduction = EffectReduction.Mean, ValidateCounts = setup.Counts },
                $"validated on held-out {cfTask} rows, {string.Join(" ↔ ", setup.Swap)}", clean, flipped);
        }
        var paperMode = Eigen("paper-compatible", EigenpruneSettings.PaperCompatible(setup.Seed) with { Progress = progress }, "batch 1 rolled, 20% of keys");
        Baseline(new SmallestMagnitudeBaseline(), keys, paperMode, "smallest (paper count, k)");
        var analysis = new JsonObject
        {
            ["diagnosticsPaperAll"] = EigenpruneCommand.Diagnostics(paperAll),
            ["paperModeFirstPruned"] = string.Join(" ", paperMode.Pruned.Take(3).Select(p => p.Id.ToString())) + " … " + paperMode.Pruned[^1].Id,
        };

        EigenpruneReport reference = paperAll;
        if (!setup.Skip.Contains("exact"))
        {
            // The best honest option: exact effects on the scored part of train, the count chosen on the held-out part.
            var exact = all with { Scorer = Scorer.Exact, ExactExamples = setup.ExactExamples, ExactBudget = setup.ExactBudget };
            var clock = Stopwatch.StartNew();
            var (fit, held) = Eigenpruner.ValidationSplit(train.Length, exact with { ValidateCounts = setup.Counts });
            var fitExamples = fit.Select(i => train[i]).ToArray();
            using var exactScores = Eigenpruner.Score(original, fitExamples, exact, ct);
            var points = Eigenpruner.Validate(exactScores, original, held.Select(i => train[i]).ToArray(), exact, setup.Counts, ct);
            using var pruned = original.Clone();
            reference = exactScores.Prune(pruned, exact.Ablation, count: Eigenpruner.Best(points).Count) with { Validation = points };
            var row = Row("eigenprune exact, validated k", pruned, clock.Elapsed.TotalSeconds, reference.Pruned.Count,
                $"exact ablation on {Math.Min(setup.ExactExamples, fit.Length)} of {fit.Length} scored rows, k chosen on {held.Length}; {all.DescribeMatrices()}");
            row["validation"] = string.Join(" ", points.Select(p => $"{p.Count}:{p.Accuracy:P0}"));
            row["scoringSeconds"] = Math.Round(exactScores.Seconds, 2);

            // How the paper's linear estimate ranks against the exact effects, on the same rows and matrices.
            using var linear = Eigenpruner.Score(original, fitExamples, all, ct);
            var k = Math.Max(reference.Pruned.Count, 8);
            var (rho, overlap) = ScoreAgreement.Compare(linear.Attribution, exactScores.Attribution, k);
            using var linearMean = Eigenpruner.Score(original, fitExamples, all with { Reduction = EffectReduction.Mean }, ct);
            var (rhoMean, overlapMean) = ScoreAgreement.Compare(linearMean.Attribution, exactScores.Attribution, k);
            analysis["linearMaxVsExact"] = new JsonObject { ["spearman"] = Math.Round(rho, 3), ["topKOverlap"] = Math.Round(overlap, 3), ["k"] = k };
            analysis["linearMeanVsExact"] = new JsonObject { ["spearman"] = Math.Round(rhoMean, 3), ["topKOverlap"] = Math.Round(overlapMean, 3), ["k"] = k };
            analysis["exactNegative"] = exactScores.Attribution.All().Count(v => v.Score < 0);
            analysis["exactLowest"] = string.Join(" ", ScoreAgreement.Lowest(exactScores.Attribution, 8).Zip(exactScores.Attribution.All().OrderBy(v => v.Score).Take(8))
                .Select(p => $"{p.First}:{p.Second.Score:+0.000;-0.000}"));

            if (setup.Competitor is { } competitorTask)
            {
                // Directions that help the competitor: removing them raises its loss most (highest exact scores).
                var competitorTrain = Load(competitorTask, TaskSplits.Train, setup.MaxExamples);
                using var competitorScores = Eigenpruner.Score(original, competitorTrain, exact, ct);
                var helping = ScoreAgreement.Highest(competitorScores.Attribution, k);
                var prunedIds = ScoreAgreement.Lowest(exactScores.Attribution, k);
                analysis["competitor"] = new JsonObject
                {
                    ["task"] = competitorTask,
                    ["k"] = k,
                    ["jaccardHelpingVsPruned"] = Math.Round(ScoreAgreement.Jaccard(helping, prunedIds), 3),
                    ["spearmanTaskVsCompetitor"] = Math.Round(ScoreAgreement.Compare(exactScores.Attribution, competitorScores.Attribution, k).Spearman, 3),
                    ["jaccardCompetitorHelpingVsTaskHelping"] = Math.Round(ScoreAgreement.Jaccard(helping, ScoreAgreement.Highest(exactScores.Attribution, k)), 3),
                };
            }
        }
        Baseline(new RandomPruningBaseline(setup.Seed), all, reference, $"random ({reference.Pruned.Count}, all)");
        Baseline(new SmallestMagnitudeBaseline(), all, reference, $"smallest ({reference.Pruned.Count}, all)");
        if (!setup.Skip.Contains("laser")) Baseline(new LaserBaseline(), all, reference, "laser");
        if (!setup.Skip.Contains("lora")) Baseline(new LoraBaseline { Steps = setup.Steps }, all, reference, "lora-r1");
        if (!setup.Skip.Contains("svft")) Baseline(new SingularValueTuningBaseline { Steps = setup.Steps }, all, reference, "svft-diag");

        return new JsonObject
        {
            ["organism"] = setup.Label ?? Path.GetFileName(Path.GetFullPath(setup.Model).TrimEnd(Path.DirectorySeparatorChar)),
            ["model"] = Path.GetFullPath(setup.Model),
            ["task"] = setup.Task,
            ["tests"] = new JsonArray(tests.Select(t => (JsonNode)t.Name).ToArray()),
            ["trainExamples"] = train.Length,
            ["matrices"] = all.DescribeMatrices(),
            ["rows"] = rows,
            ["analysis"] = analysis,
            ["seconds"] = Math.Round(total.Elapsed.TotalSeconds, 1),
            ["threads"] = TorchSharp.torch.get_num_threads(),
        };
    }

    private static void Print(JsonObject result)
    {
        var tests = result["tests"]!.AsArray().Select(t => t!.ToString()).ToArray();
        AnsiConsole.MarkupLine(Markup.Escape($"{result["organism"]} / {result["task"]}: {result["trainExamples"]} train rows, {result["matrices"]}, {result["seconds"]} s"));
        var table = new Table().AddColumns(["method", .. tests, "pruned", "seconds"]);
        foreach (var row in result["rows"]!.AsArray().Select(r => r!.AsObject()))
            table.AddRow([Markup.Escape(row["method"]!.ToString()), .. tests.Select(t => row[t]!.GetValue<double>().ToString("P1", CultureInfo.InvariantCulture)),
                row["pruned"]?.ToString() ?? "–", row["seconds"]!.ToString()]);
        AnsiConsole.Write(table);
        foreach (var row in result["rows"]!.AsArray().Select(r => r!.AsObject()))
            AnsiConsole.MarkupLine(Markup.Escape($"{row["method"]}: {row["details"]}{(row["validation"] is { } v ? $" [held-out {v}]" : "")}"));
        AnsiConsole.MarkupLine(Markup.Escape(result["analysis"]!.ToJsonString()));
    }
}
