// Sweep the Cora citations classifier of examples/CitationClassification: which citation feature groups, with or without
// text, and how much SDCA regularisation — SMAC over 15 trials, scored on a validation split; the winner is refitted and
// scored on held-out papers. `llmml sweep --config examples/Sweeps/citations-sweep.json` runs a larger one from JSON.
//
// Usage: dotnet run --project examples/Sweeps [-- path/to/cora.npz] [--trials 15]
using System.Globalization;
using CitationClassification;
using LLMML.Citations.Features;
using LLMML.Citations.Loading;
using LLMML.Citations.Transforms;
using LLMML.Sweeps.Experiments;
using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Tuners;
using Microsoft.ML;

string path = args.FirstOrDefault(a => a.EndsWith(".npz", StringComparison.Ordinal)) ?? Path.Combine(RepositoryRoot(), "data", "citations", "cora.npz");
int trials = args.SkipWhile(a => a != "--trials").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(15);
var (trainAll, test) = CoraRows.Split(CoraRows.From(CoraDataset.Read(path)), 0.6, seed: 1);
var (train, validation) = CoraRows.Split(trainAll, 0.75, seed: 2);
var ml = new MLContext(seed: 1);

// The sweep: a search space, the pipeline for a proposed point, data, a metric, a tuner, a budget.
var space = new SearchSpace()
    .Choice("features", "Counts, PageRank, Hits, CoreNumber, Clustering, ReferenceFieldShares, CitingFieldShares",
        "ReferenceFieldShares, CitingFieldShares", "Counts, PageRank, Hits, CoreNumber, Clustering")
    .Choice("text", true, false)
    .LogUniform("l2", 1e-5, 1);
var experiment = new SweepExperiment(space)
    .SetPipeline(p => ml.Transforms.FeaturizeCitations(new CitationFeaturizerOptions { FieldColumnName = "Label", Features = p.Get<CitationFeatureKinds>("features") })
        .Append(ml.Transforms.NormalizeMinMax("CitationFeatures"))
        .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
        .Append(ml.Transforms.Text.FeaturizeText("TextFeatures", "Text"))
        .Append(ml.Transforms.Concatenate("Features", p.Get<bool>("text") ? ["TextFeatures", "CitationFeatures"] : ["CitationFeatures"]))
        .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(l2Regularization: (float)p.GetDouble("l2"))))
    .SetDataset(ml.Data.LoadFromEnumerable(train), ml.Data.LoadFromEnumerable(validation))
    .SetEvaluateMetric(v => ml.MulticlassClassification.Evaluate(v).MicroAccuracy, "MicroAccuracy")
    .SetTuner(TunerKind.Smac, seed: 1)
    .SetMaxTrials(trials);
var result = experiment.Run();

foreach (var row in result.ToDataFrame().Head(5).Rows)   // the leaderboard, best first
    Console.WriteLine($"trial {row["trial"],2}: {row["MicroAccuracy"]:0.0000}  text={row["text"],-5}  l2={row["l2"]:0.0e0}  {row["features"]}  ({row["seconds"]:0.0} s)");
var best = experiment.RefitBest(result, ml.Data.LoadFromEnumerable(trainAll));
var heldOut = ml.MulticlassClassification.Evaluate(best.Transform(ml.Data.LoadFromEnumerable(test)));
Console.WriteLine($"best of {result.Trials.Count} trials: {result.BestOrThrow.TrialSettings.Parameter}");
Console.WriteLine($"validation micro-accuracy {result.BestOrThrow.Metric:0.0000}, held-out {heldOut.MicroAccuracy:0.0000} ({test.Length} papers)");

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "LLMML.sln"))) return dir.FullName;
    throw new DirectoryNotFoundException("LLMML.sln not found; pass the path of cora.npz as the first argument.");
}
