using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CitationClassification;
using LLMML.Citations.Features;
using LLMML.Citations.Loading;
using LLMML.Citations.Transforms;
using LLMML.Cli.Rendering;
using LLMML.Eigenpruning.Transforms;
using LLMML.Foundation.Persistence;
using LLMML.MLNet.Tasks;
using LLMML.Sweeps.Experiments;
using LLMML.Sweeps.Reporting;
using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;
using LLMML.Sweeps.Tuners;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>
/// `llmml sweep --config sweep.json`: an AutoML-style sweep of one of our pipelines (the Cora citations classifier or
/// eigenpruning) described by a JSON file; prints the leaderboard (or JSON), keeps a resumable journal, writes plots.
/// </summary>
/// <remarks>
/// The config (paths relative to it):
/// <code>
/// { "pipeline": "citations" | "eigenprune" | "inject", "tuner": "cfo", "seed": 0, "maxTrials": 20, "maxSeconds": 600,
///   "maxParallelTrials": 1, "journal": "sweep.jsonl", "plots": "plots", "output": "sweep-result.json",
///   "searchSpace": { ... SearchSpaceJson ... },
///   "citations": { "data": "../../data/citations/cora.npz", "trainFraction": 0.6, "validationFraction": 0.25, "splitSeed": 1 },
///   "eigenprune": { "model": "../../data/models/post", "task": "int-mult", "maxExamples": 64, "validationLimit": 80, "batchSize": 32 },
///   "inject": { "model": "../../data/models/base", "task": "count", "program": "count_x", "trainRows": 64, "validationRows": 16,
///               "steps": 30, "maxNewTokens": 4, "naturalTexts": 200 } }
/// </code>
/// </remarks>
internal static class SweepCommand
{
    private static readonly string[] Keys = ["pipeline", "tuner", "seed", "maxTrials", "maxSeconds", "maxParallelTrials", "journal", "plots", "output", "searchSpace", "citations", "eigenprune", "inject"];

    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "Sweep description (JSON): pipeline, tuner, budgets, search space, data.", Required = true };
        var maxTrials = new Option<int?>("--max-trials") { Description = "Override the config's trial budget." };
        var json = CommonOptions.Json();
        var command = new Command("sweep", "Sweep a pipeline's options with an AutoML-style tuner (grid, random, asha, cfo, smac); resumable through its journal.")
        {
            config, maxTrials, json,
        };
        command.SetAction((parse, ct) =>
        {
            var path = parse.GetValue(config)!.FullName;
            if (!File.Exists(path)) throw new FileNotFoundException($"Sweep config {path} not found.");
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: a sweep config is a JSON object.");
            if (root.Select(kv => kv.Key).FirstOrDefault(k => !Keys.Contains(k)) is { } unknown)
                throw new InvalidDataException($"{path}: unknown setting '{unknown}' (settings: {string.Join(", ", Keys)}).");
            var asJson = parse.GetValue(json);
            var node = ConsoleProgress.Run(asJson, progress => Run(path, root, parse.GetValue(maxTrials), progress, ct));
            if (asJson) Console.WriteLine(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else Print(node);
            return Task.FromResult(0);
        });
        return command;
    }

    private static JsonObject Run(string configPath, JsonObject config, int? maxTrialsOverride, IProgress<LLMML.Foundation.Progress.ProgressUpdate> progress, CancellationToken ct)
    {
        string directory = Path.GetDirectoryName(configPath)!;
        string? Resolve(string key) => config[key]?.GetValue<string>() is { } p ? Path.GetFullPath(Path.Combine(directory, p)) : null;
        var pipelineName = config["pipeline"]?.GetValue<string>() ?? throw new InvalidDataException($"{configPath}: \"pipeline\" is required (citations, eigenprune or inject).");
        var searchSpace = config["searchSpace"] as JsonObject ?? throw new InvalidDataException($"{configPath}: \"searchSpace\" is required.");
        int seed = config["seed"]?.GetValue<int>() ?? 0;
        var options = new SweepOptions
        {
            MaxTrials = maxTrialsOverride ?? config["maxTrials"]?.GetValue<int>() ?? 20,
            MaxWallTime = config["maxSeconds"]?.GetValue<double>() is { } s ? TimeSpan.FromSeconds(s) : null,
            MaxParallelTrials = config["maxParallelTrials"]?.GetValue<int>() ?? 1,
            JournalPath = Resolve("journal"),
            Progress = progress,
        };
        foreach (var output in new[] { options.JournalPath, Resolve("output") })
            if (output is not null && string.Equals(output, configPath, StringComparison.Ordinal))
                throw new ArgumentException($"{configPath}: an output path names the config itself.");
        // Trials share the cores: each gets its share of torch's threads.
        if (options.MaxParallelTrials > 1) TorchSharp.torch.set_num_threads(Math.Max(1, Environment.ProcessorCount / options.MaxParallelTrials));

        var ml = new MLContext(seed);
        var sweep = pipelineName switch
        {
            "citations" => Citations(ml, config["citations"] as JsonObject ?? [], directory, searchSpace, seed),
            "eigenprune" => Eigenprune(ml, config["eigenprune"] as JsonObject ?? [], directory, searchSpace, ct),
            "inject" => Inject(ml, config["inject"] as JsonObject ?? [], directory, searchSpace, ct),
            _ => throw new InvalidDataException($"{configPath}: unknown pipeline '{pipelineName}' (pipelines: citations, eigenprune, inject)."),
        };
        options.MetricName = sweep.MetricName;
        var tuner = Tuner.Create(Tuner.Parse(config["tuner"]?.GetValue<string>() ?? "cfo"), sweep.Space, seed);
        var runner = new PipelineTrialRunner(sweep.Pipeline, sweep.Train, sweep.Validation, sweep.Evaluate);
        var result = Sweep.Run(tuner, runner, options, ct);

        var node = result.ToJson();
        node["pipeline"] = pipelineName;
        node["tuner"] = config["tuner"]?.GetValue<string>() ?? "cfo";
        node["defaults"] = sweep.Space.DefaultParameter.ToJsonObject();
        if (sweep.Holdout is { } holdout && result.Best is { } best)
        {
            // The winner and the defaults (the hand-set pipeline), both refitted on all training rows and scored on rows no trial saw.
            node["holdout"] = new JsonObject
            {
                ["best"] = Holdout(runner, best.TrialSettings.Parameter, holdout.Train, holdout.Test, sweep.Evaluate),
                ["defaults"] = Holdout(runner, sweep.Space.DefaultParameter, holdout.Train, holdout.Test, sweep.Evaluate),
            };
        }
        if (Resolve("plots") is { } plots) node["plots"] = new JsonArray(SweepPlots.SaveAll(result, plots).Select(p => (JsonNode)p).ToArray());
        if (Resolve("output") is { } outputPath)
        {
            AtomicFile.WriteAllBytes(outputPath, Encoding.UTF8.GetBytes(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
            node["output"] = outputPath;
        }
        if (options.JournalPath is not null) node["journal"] = options.JournalPath;
        return node;
    }

    private static double Holdout(PipelineTrialRunner runner, Parameter parameter, IDataView train, IDataView test, Func<IDataView, TrialMetrics> evaluate)
    {
        var model = runner.Refit(parameter, train);
        try
        {
            return evaluate(model.Transform(test)).Metric;
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    private sealed record SweepSetup(SearchSpace Space, Func<Parameter, IEstimator<ITransformer>> Pipeline, IDataView Train, IDataView Validation,
        Func<IDataView, TrialMetrics> Evaluate, string MetricName, (IDataView Train, IDataView Test)? Holdout);

    private static Func<IDataView, TrialMetrics> Multiclass(MLContext ml) => view =>
    {
        var m = ml.MulticlassClassification.Evaluate(view);
        return new TrialMetrics(m.MicroAccuracy, new Dictionary<string, double> { ["MacroAccuracy"] = m.MacroAccuracy, ["LogLoss"] = m.LogLoss });
    };

    // Citations: the Cora classifier of examples/CitationClassification, its featurizer options, text on/off and SDCA's options swept.
    private static SweepSetup Citations(MLContext ml, JsonObject settings, string directory, JsonObject spaceJson, int seed)
    {
        var data = Path.GetFullPath(Path.Combine(directory, settings["data"]?.GetValue<string>() ?? throw new InvalidDataException("citations: \"data\" (the cora.npz path) is required.")));
        double trainFraction = settings["trainFraction"]?.GetValue<double>() ?? 0.6, validationFraction = settings["validationFraction"]?.GetValue<double>() ?? 0.25;
        int splitSeed = settings["splitSeed"]?.GetValue<int>() ?? 1;
        var rows = CoraRows.From(CoraDataset.Read(data));
        var (trainAll, test) = CoraRows.Split(rows, trainFraction, splitSeed);
        var (train, validation) = CoraRows.Split(trainAll, 1 - validationFraction, splitSeed + 1);
        var space = SearchSpace<CitationsSweepSettings>.FromJson(spaceJson);
        IEstimator<ITransformer> Pipeline(Parameter p)
        {
            // A fresh context per pipeline: SDCA shuffles with the context's generator, and a trial must not depend on how
            // many trials ran before it in this process (a resumed sweep would differ from an uninterrupted one).
            var ml = new MLContext(seed);
            var s = space.Create(p);
            var features = ml.Transforms.FeaturizeCitations(s.Featurizer)
                .Append(ml.Transforms.NormalizeMinMax("CitationFeatures"))
                .Append(ml.Transforms.Conversion.MapValueToKey("Label"));
            IEstimator<ITransformer> withText = s.UseText
                ? features.Append(ml.Transforms.Text.FeaturizeText("TextFeatures", "Text")).Append(ml.Transforms.Concatenate("Features", "TextFeatures", "CitationFeatures"))
                : (IEstimator<ITransformer>)features.Append(ml.Transforms.CopyColumns("Features", "CitationFeatures"));
            return withText.Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(s.Trainer));
        }
        return new SweepSetup(space, Pipeline, ml.Data.LoadFromEnumerable(train), ml.Data.LoadFromEnumerable(validation), Multiclass(ml), "MicroAccuracy",
            (ml.Data.LoadFromEnumerable(trainAll), ml.Data.LoadFromEnumerable(test)));
    }

    // Eigenpruning through its public options only: fraction, matrix kinds, reduction, ablation... whatever the space names.
    private static SweepSetup Eigenprune(MLContext ml, JsonObject settings, string directory, JsonObject spaceJson, CancellationToken ct)
    {
        var model = Path.GetFullPath(Path.Combine(directory, settings["model"]?.GetValue<string>() ?? throw new InvalidDataException("eigenprune: \"model\" (a checkpoint directory) is required.")));
        var taskName = settings["task"]?.GetValue<string>() ?? throw new InvalidDataException("eigenprune: \"task\" is required.");
        var llm = ml.Llm();
        var task = llm.Tasks.Get(taskName);
        if (!task.IsClosed(TaskSplits.Test))
            throw new ArgumentException($"eigenprune: task '{task.Name}' has open-ended test answers; the sweep scores closed-set accuracy (pick a closed task).");
        int? maxExamples = settings["maxExamples"]?.GetValue<int>();
        int batchSize = settings["batchSize"]?.GetValue<int>() ?? 32;
        var space = SearchSpace<EigenpruneOptions>.FromJson(spaceJson, () =>
        {
            var o = EigenpruneOptions.ForTask(task, model);
            o.MaxExamples = maxExamples;
            o.BatchSize = batchSize;
            o.CancellationToken = ct;
            return o;
        });
        return new SweepSetup(space, p => llm.Eigenprune(space.Create(p)), llm.Tasks.Load(task.Name, TaskSplits.Train, maxExamples),
            llm.Tasks.Load(task.Name, TaskSplits.Test, settings["validationLimit"]?.GetValue<int>()), Multiclass(ml), "MicroAccuracy", null);
    }

    private static readonly string[] InjectKeys = ["model", "task", "program", "trainRows", "validationRows", "steps", "maxNewTokens", "naturalTexts"];

    // Tracr-injection: any public TracrInjectOptions (λ and both learning rates sit in the nested "Injection"), trained on the
    // first trainRows training rows and judged by exact match of the generated answers on the next validationRows.
    private static SweepSetup Inject(MLContext ml, JsonObject settings, string directory, JsonObject spaceJson, CancellationToken ct)
    {
        if (settings.Select(kv => kv.Key).FirstOrDefault(k => !InjectKeys.Contains(k)) is { } unknown)
            throw new InvalidDataException($"inject: unknown setting '{unknown}' (settings: {string.Join(", ", InjectKeys)}).");
        var model = Path.GetFullPath(Path.Combine(directory, settings["model"]?.GetValue<string>() ?? throw new InvalidDataException("inject: \"model\" (a checkpoint directory) is required.")));
        var llm = ml.Llm();
        var task = llm.Tasks.Get(settings["task"]?.GetValue<string>() ?? throw new InvalidDataException("inject: \"task\" is required (count, dyck or int-add-long)."));
        var program = settings["program"]?.GetValue<string>() is { } name ? LLMML.TracrInjection.Teachers.InjectionProgramCatalog.Get(name) : LLMML.TracrInjection.Teachers.InjectionProgramCatalog.ForTask(task.Name);
        int trainRows = Positive(settings, "trainRows", 64), validationRows = Positive(settings, "validationRows", 16);
        int steps = Positive(settings, "steps", 30), maxNewTokens = Positive(settings, "maxNewTokens", task.Name == "dyck" ? 4 : 6);
        int available = task.GetExamples(TaskSplits.Train).Count;
        if (trainRows + validationRows > available)
            throw new ArgumentException($"inject: trainRows {trainRows} + validationRows {validationRows} exceed the {available} training rows of '{task.Name}'.");
        // The KL term's text: held-out lines of the organisms' corpus, as `llmml inject` uses.
        var natural = InjectCommand.NaturalText(Positive(settings, "naturalTexts", 200), 1_000_003);
        var space = SearchSpace<LLMML.TracrInjection.Transforms.TracrInjectOptions>.FromJson(spaceJson, () => new LLMML.TracrInjection.Transforms.TracrInjectOptions
        {
            ModelDirectory = model, Program = program.Name, MaxNewTokens = maxNewTokens, NaturalTexts = natural, CancellationToken = ct,
            Injection = new LLMML.TracrInjection.Training.InjectionSettings { Steps = steps, ProgressEvery = Math.Max(1, steps / 10) },
        });
        var all = llm.Tasks.Load(task.Name, TaskSplits.Train);
        var train = ml.Data.TakeRows(all, trainRows);
        var validation = ml.Data.TakeRows(ml.Data.SkipRows(all, trainRows), validationRows);
        return new SweepSetup(space, p => llm.TracrInject(space.Create(p)), train, validation,
            view => new TrialMetrics(LLMML.MLNet.Evaluation.LlmMetrics.ExactMatchAccuracy(view)), "ExactMatch", null);
    }

    private static int Positive(JsonObject settings, string key, int fallback) =>
        settings[key]?.GetValue<int>() is { } v ? (v >= 1 ? v : throw new ArgumentOutOfRangeException(key, v, $"inject: \"{key}\" must be at least 1.")) : fallback;

    private static string Describe(Parameter p) => string.Join(" ", p.Flatten().Select(kv =>
        $"{kv.Key}={(OptionBase.Number(kv.Value) is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : SweepResult.Text(kv.Value))}"));

    private static void Print(JsonObject node)
    {
        var table = new Table().AddColumns("trial", "parameters", node["metric"]!.GetValue<string>(), "seconds", "status");
        var rows = node["results"]!.AsArray().Select(r => r!.AsObject())
            .OrderBy(r => r["status"]!.GetValue<string>() != "Completed").ThenBy(r => SweepJournal.ReadNumber(r["loss"])).Take(15);
        foreach (var r in rows)
            table.AddRow(r["trial"]!.ToJsonString(), Markup.Escape(Describe(Parameter.FromJson(r["parameter"]!.AsObject()))),
                SweepJournal.ReadNumber(r["metric"]).ToString("0.0000", CultureInfo.InvariantCulture),
                (r["milliseconds"]!.GetValue<double>() / 1000).ToString("0.00", CultureInfo.InvariantCulture), r["status"]!.GetValue<string>());
        table.Caption($"{node["pipeline"]} with {node["tuner"]}: {node["completed"]} completed, {node["stopped"]} stopped early, {node["failed"]} failed (best 15 shown)");
        AnsiConsole.Write(table);
        if (node["holdout"] is JsonObject holdout)
            AnsiConsole.MarkupLineInterpolated($"held-out {node["metric"]}: best trial {holdout["best"]!.GetValue<double>():0.0000}, defaults {holdout["defaults"]!.GetValue<double>():0.0000}");
        if (node["journal"] is { } journal) AnsiConsole.MarkupLineInterpolated($"journal: [green]{journal.GetValue<string>()}[/] (run again to resume)");
        if (node["plots"] is JsonArray plots && plots.Count > 0) AnsiConsole.MarkupLineInterpolated($"plots: [green]{Path.GetDirectoryName(plots[0]!.GetValue<string>())}[/]");
    }
}

/// <summary>The citations sweep's options: the featurizer's, whether text features join, and SDCA's (public fields).</summary>
public sealed class CitationsSweepSettings
{
    /// <summary>Citation featurizer options; defaults are the example's hand-set pipeline (Label read as the field, in Fit only).</summary>
    public CitationFeaturizerOptions Featurizer { get; set; } = new()
    {
        FieldColumnName = "Label",
        Features = CitationFeatureKinds.Counts | CitationFeatureKinds.PageRank | CitationFeatureKinds.Hits | CitationFeatureKinds.CoreNumber
            | CitationFeatureKinds.Clustering | CitationFeatureKinds.ReferenceFieldShares | CitationFeatureKinds.CitingFieldShares,
    };

    /// <summary>Concatenate the bag-of-words text features with the citation features.</summary>
    public bool UseText { get; set; } = true;

    /// <summary>The multiclass SDCA trainer's options.</summary>
    public SdcaMaximumEntropyMulticlassTrainer.Options Trainer { get; set; } = new();
}
