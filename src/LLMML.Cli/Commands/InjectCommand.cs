using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLMML.Cli.Rendering;
using LLMML.Foundation.Persistence;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;
using LLMML.ModelOrganisms;
using LLMML.TracrInjection.Decoding;
using LLMML.TracrInjection.Reporting;
using LLMML.TracrInjection.Teachers;
using LLMML.TracrInjection.Training;
using LLMML.TracrInjection.Transforms;
using Microsoft.ML;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>
/// `llmml inject`: tracr-injection of a library program into an LM on a task's train split, then greedy exact match on
/// test and every OOD split before and after, decoding accuracy per variable against the interpreter's trace, the
/// causality curve and held-out natural-text perplexity. Writes the fitted transformer and report.json into --out.
/// </summary>
internal static class InjectCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint directory of the LM to inject into.", Required = true };
        var task = new Option<string>("--task") { Description = "Task: dyck, count or int-add-long.", Required = true };
        var program = new Option<string?>("--program") { Description = "Injection program: dyck3, count_x or addition (default: the task's)." };
        var baseline = new Option<bool>("--baseline") { Description = "The baseline: same training without L_alg and without detach-and-roll." };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => 300 }.AtLeast(1);
        var lmLr = new Option<double>("--lm-lr") { Description = "LM learning rate (the paper: 1e-6 on GPT-2-large).", DefaultValueFactory = _ => 1e-4 };
        var adapterLr = new Option<double>("--adapter-lr") { Description = "Adapter learning rate (the paper: 1e-4).", DefaultValueFactory = _ => 1e-3 };
        var lambda = new Option<double>("--lambda") { Description = "Weight of the alignment loss.", DefaultValueFactory = _ => 1.0 };
        var rollAt = new Option<RollPosition>("--roll-at") { Description = "AfterLastAlignedState (the authors' code) or AtLastAlignedState (the paper's text).", DefaultValueFactory = _ => RollPosition.AfterLastAlignedState };
        var batch = new Option<int>("--batch") { Description = "Task rows per step (≥ 2 with detach-and-roll).", DefaultValueFactory = _ => 2 }.AtLeast(1);
        var train = new Option<int>("--train") { Description = "Train rows used (the teacher is verified on all of them).", DefaultValueFactory = _ => 500 }.AtLeast(1);
        var eval = new Option<int>("--eval") { Description = "Rows scored per evaluation split.", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Seed of sampling, adapter initialisation and the control span.", DefaultValueFactory = _ => 42 };
        var noise = new Option<string>("--noise") { Description = "Noise norms of the causality curve (the paper: 0,5,10,30 on GPT-2-large).", DefaultValueFactory = _ => "0,5,10,30" };
        var output = new Option<string>("--out") { Description = "Output directory: model.llmml (the fitted transformer) and report.json.", Required = true };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("inject", "Distil a compiled RASP program into an LM (tracr-injection) and measure it against the baseline's setting.")
        {
            model, task, program, baseline, steps, lmLr, adapterLr, lambda, rollAt, batch, train, eval, seed, noise, output, threads, json,
        };
        command.SetAction((parse, ct) =>
        {
            var outDir = parse.GetValue(output)!;
            CommonOptions.CheckOutputDirectory(outDir, parse.GetValue(model));
            CommonOptions.ApplyThreads(parse, threads);
            var settings = new InjectionSettings
            {
                Baseline = parse.GetValue(baseline), Steps = parse.GetValue(steps), LmLearningRate = parse.GetValue(lmLr),
                AdapterLearningRate = parse.GetValue(adapterLr), Lambda = parse.GetValue(lambda), RollAt = parse.GetValue(rollAt),
                TaskBatchSize = parse.GetValue(batch), Seed = parse.GetValue(seed), ProgressEvery = 5,
            };
            var asJson = parse.GetValue(json);
            var norms = parse.GetValue(noise)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(x => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : throw new ArgumentException($"--noise: '{x}' is not a norm ≥ 0."))
                .ToArray();
            var result = Run(parse.GetValue(model)!, parse.GetValue(task)!, parse.GetValue(program), settings, parse.GetValue(train), parse.GetValue(eval), norms, outDir, asJson, ct);
            if (asJson) Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else Print(result);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Held-out natural text of the organisms' corpus (another seed than any pretraining run): the KL term's and perplexity's text.</summary>
    internal static string[] NaturalText(int count, int seed)
    {
        var corpus = OrganismRecipe.PretrainingCorpus();
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => corpus.NextLine(random)).ToArray();
    }

    internal static JsonObject Run(string modelDirectory, string taskName, string? programName, InjectionSettings settings, int trainRows, int evalRows,
        IReadOnlyList<double> noiseNorms, string outDir, bool asJson, CancellationToken ct)
    {
        var ml = new MLContext(seed: 0);
        var llm = ml.Llm();
        var task = llm.Tasks.Get(taskName);
        var program = programName is null ? InjectionProgramCatalog.ForTask(task.Name) : InjectionProgramCatalog.Get(programName);
        var maxNew = task.Name == "dyck" ? 4 : 6;
        var splits = task.SplitNames.Where(s => s != TaskSplits.Train).ToArray();
        var evalSets = splits.ToDictionary(s => s, s => task.GetExamples(s).Take(evalRows).ToArray());
        var naturalTrain = NaturalText(2000, 1_000_003);
        var naturalHeldOut = NaturalText(300, 2_000_003);

        return ConsoleProgress.Run(asJson, progress =>
        {
            using var original = LanguageModel.Load(modelDirectory);
            foreach (var s in splits) evalSets[s] = evalSets[s].Where(r => Fits(original, r)).ToArray();
            var before = splits.ToDictionary(s => s, s => InjectionEvaluation.ExactMatch(original, evalSets[s], maxNew, cancellationToken: ct));
            var pplBefore = InjectionEvaluation.Perplexity(original, naturalHeldOut);
            // The organisms' zero-shot table, as mean answer log-likelihood on 50 test rows of each task (exact match is 0% for `base` on all).
            string[] zeroShotTasks = ["int-sum", "int-mult", "count", "dyck", "int-add-long"];
            var zeroShotRows = zeroShotTasks.ToDictionary(t => t, t => llm.Tasks.Get(t).GetExamples(TaskSplits.Test).Take(50).Where(r => Fits(original, r)).ToArray());
            var zeroShotBefore = zeroShotTasks.ToDictionary(t => t, t => InjectionEvaluation.MeanAnswerLogLikelihood(original, zeroShotRows[t]));
            var options = new TracrInjectOptions
            {
                Program = program.Name, MaxExamples = trainRows, Injection = settings, NaturalTexts = naturalTrain, Progress = progress,
                CancellationToken = ct, MaxNewTokens = maxNew,
            };
            var trainView = llm.Tasks.Load(task.Name, TaskSplits.Train, trainRows);
            using var injected = llm.TracrInject(options, original).Fit(trainView);
            var after = splits.ToDictionary(s => s, s => InjectionEvaluation.ExactMatch(injected.Model, evalSets[s], maxNew, cancellationToken: ct));
            var pplAfter = InjectionEvaluation.Perplexity(injected.Model, naturalHeldOut);
            var zeroShotAfter = zeroShotTasks.ToDictionary(t => t, t => InjectionEvaluation.MeanAnswerLogLikelihood(injected.Model, zeroShotRows[t]));
            var sop = program.Build();
            var test = evalSets[TaskSplits.Test];
            // The baseline's adapter is never trained, so decoding it or the span it reads would measure nothing.
            var decoding = settings.Baseline ? [] : InjectionEvaluation.DecodingAccuracy(injected.Model, injected.Adapter, injected.Teacher, sop, injected.Alignment, test, options.AnswerTerminator);
            var output = injected.Teacher.OutputVariable;
            var causality = settings.Baseline ? [] : InjectionEvaluation.Causality(injected.Model, injected.Adapter, output.Start, output.Count, injected.Teacher.Layers,
                test.Take(Math.Min(50, test.Length)).ToArray(), noiseNorms, maxNew, settings.Seed, ct);
            var residualNorm = InjectionEvaluation.MeanResidualNorm(injected.Model, test.Take(20).ToArray(), injected.Teacher.Layers);
            Directory.CreateDirectory(outDir);
            injected.Save(Path.Combine(outDir, "model.llmml"));
            var label = $"{program.Name} on {task.Name}{(settings.Baseline ? " (baseline)" : "")}";
            if (!settings.Baseline) InjectionPlots.CausalityCurve(causality, Path.Combine(outDir, "causality.png"), $"{label}: causality of final_result's span");
            if (!settings.Baseline && test.Length > 0)
            {
                var example = InjectionData.Align(injected.Model, injected.Alignment, [test[0]], options.AnswerTerminator);
                var row = VariableDecoder.Decode(injected.Model, injected.Adapter, injected.Teacher, example, injected.Teacher.Layers)[0];
                InjectionPlots.DecodedHeatmap(row, sop, Path.Combine(outDir, "decoded.png"), title: $"{label}: variables decoded from A(h_{injected.Teacher.Layers})");
            }
            var node = new JsonObject
            {
                ["model"] = Path.GetFullPath(modelDirectory),
                ["task"] = task.Name,
                ["program"] = program.Name,
                ["baseline"] = settings.Baseline,
                ["compiledLayers"] = injected.Report.CompiledLayers,
                ["compiledWidth"] = injected.Report.CompiledWidth,
                ["teacherVerifiedRows"] = injected.Report.TeacherExamples,
                ["teacherVerifiedPositions"] = injected.Report.TeacherPositions,
                ["steps"] = injected.Report.Steps,
                ["trainSeconds"] = Math.Round(injected.Report.Seconds, 1),
                ["stepsPerSecond"] = Math.Round(injected.Report.Steps / injected.Report.Seconds, 2),
                ["settings"] = JsonSerializer.SerializeToNode(settings),
                ["final"] = new JsonObject { ["ce"] = injected.Report.FinalCe, ["kl"] = injected.Report.FinalKl, ["alg"] = injected.Report.FinalAlg },
                ["evalRows"] = new JsonObject(splits.Select(s => KeyValuePair.Create(s, (JsonNode?)evalSets[s].Length))),
                ["exactMatchBefore"] = Dict(before),
                ["exactMatchAfter"] = Dict(after),
                ["perplexityBefore"] = Math.Round(pplBefore, 4),
                ["perplexityAfter"] = Math.Round(pplAfter, 4),
                ["answerLogLikelihoodBefore"] = Dict(zeroShotBefore),
                ["answerLogLikelihoodAfter"] = Dict(zeroShotAfter),
                ["decodingAccuracy"] = new JsonObject(decoding.Select(d => KeyValuePair.Create(d.Variable, (JsonNode?)Math.Round(d.Accuracy, 4)))),
                ["meanResidualNormAtL"] = Math.Round(residualNorm, 2),
                ["causality"] = new JsonArray(causality.Select(c => (JsonNode)new JsonObject
                {
                    ["norm"] = c.Norm, ["variableSpan"] = Math.Round(c.VariableSpanAccuracy, 4), ["randomSpan"] = Math.Round(c.RandomSpanAccuracy, 4),
                }).ToArray()),
                ["threads"] = TorchSharp.torch.get_num_threads(),
                ["saved"] = Path.GetFullPath(Path.Combine(outDir, "model.llmml")),
            };
            AtomicFile.WriteAllText(Path.Combine(outDir, "report.json"), node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return node;
        });
    }

    // OOD rows longer than the LM's context cannot be scored at all; they are left out (and counted out) rather than truncated.
    private static bool Fits(LanguageModel model, TaskExample row) => model.Encode(row.Prompt).Count + 8 <= model.Config.MaxPositionEmbeddings;

    private static JsonObject Dict(Dictionary<string, double> values) =>
        new(values.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)(double.IsNaN(kv.Value) ? null : Math.Round(kv.Value, 4)))));

    private static void Print(JsonObject r)
    {
        AnsiConsole.MarkupLine(Markup.Escape($"{r["program"]} on {r["task"]}{(r["baseline"]!.GetValue<bool>() ? " (baseline)" : "")}: {r["steps"]} steps in {r["trainSeconds"]} s; teacher verified on {r["teacherVerifiedRows"]} rows"));
        var table = new Table().AddColumns("split", "before", "after");
        foreach (var (split, v) in r["exactMatchBefore"]!.AsObject())
            table.AddRow(split, Markup.Escape(v?.ToString() ?? "–"), Markup.Escape(r["exactMatchAfter"]![split]?.ToString() ?? "–"));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape($"perplexity {r["perplexityBefore"]} → {r["perplexityAfter"]}; decoding {r["decodingAccuracy"]!.ToJsonString()}"));
        AnsiConsole.MarkupLine(Markup.Escape($"causality {r["causality"]!.ToJsonString()}"));
    }
}
