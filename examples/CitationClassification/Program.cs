// Classify Cora papers into their 7 classes with an ML.NET pipeline: text features alone, then text plus the
// citation features of LLMML.Citations (FeaturizeCitations), and compare MulticlassClassification.Evaluate metrics.
//
// Usage: dotnet run --project examples/CitationClassification [-- path/to/cora.npz] [--train-fraction 0.6] [--seed 1]
// Without a path, data/citations/cora.npz is found by walking up to LLMML.sln.
using System.Globalization;
using CitationClassification;
using LLMML.Citations.Features;
using LLMML.Citations.Loading;
using LLMML.Citations.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

string? path = null;
double trainFraction = 0.6;
int seed = 1;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--train-fraction": trainFraction = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: path = args[i]; break;
    }
}
path ??= Path.Combine(RepositoryRoot(), "data", "citations", "cora.npz");
var cora = CoraDataset.Read(path);
Console.WriteLine($"Cora: {cora.Graph.NodeCount} papers, {cora.Graph.EdgeCount} citations (citing → cited), {cora.ClassNames.Length} classes, {cora.VocabularySize} words");

var rows = CoraRows.From(cora);
var (trainRows, testRows) = CoraRows.Split(rows, trainFraction, seed);
Console.WriteLine($"split: {trainRows.Length} train / {testRows.Length} test papers (stratified, seed {seed})");

var ml = new MLContext(seed: seed);
var train = ml.Data.LoadFromEnumerable(trainRows);
var test = ml.Data.LoadFromEnumerable(testRows);

// Text only.
var textOnly = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(ml.Transforms.Text.FeaturizeText("Features", "Text"))
    .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy());
var textMetrics = ml.MulticlassClassification.Evaluate(textOnly.Fit(train).Transform(test));

// Text + citation features. Fit sees only the training papers and their classes (the Label column is read as the
// field, in Fit only); test papers are featurized from the graph around them and their own references.
// The paper's own-field shares are left out: for a paper to classify its field is what we do not know.
var citationOptions = new CitationFeaturizerOptions
{
    FieldColumnName = "Label",
    Features = CitationFeatureKinds.Counts | CitationFeatureKinds.PageRank | CitationFeatureKinds.Hits | CitationFeatureKinds.CoreNumber
        | CitationFeatureKinds.Clustering | CitationFeatureKinds.ReferenceFieldShares | CitationFeatureKinds.CitingFieldShares,
};
var withCitations = ml.Transforms.FeaturizeCitations(citationOptions)
    .Append(ml.Transforms.NormalizeMinMax("CitationFeatures"))
    .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
    .Append(ml.Transforms.Text.FeaturizeText("TextFeatures", "Text"))
    .Append(ml.Transforms.Concatenate("Features", "TextFeatures", "CitationFeatures"))
    .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy());
var model = withCitations.Fit(train);
var bothMetrics = ml.MulticlassClassification.Evaluate(model.Transform(test));

// Citation features alone, for reference.
var citationOnly = ml.Transforms.FeaturizeCitations(citationOptions)
    .Append(ml.Transforms.NormalizeMinMax("Features", "CitationFeatures"))
    .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
    .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy());
var citationMetrics = ml.MulticlassClassification.Evaluate(citationOnly.Fit(train).Transform(test));

Console.WriteLine();
Console.WriteLine($"{"features",-22} {"micro-acc",10} {"macro-acc",10} {"log-loss",10}");
Print("text only", textMetrics);
Print("citations only", citationMetrics);
Print("text + citations", bothMetrics);

// The whole pipeline saves and loads with mlContext.Model (the context must know LLMML's loader: mlContext.Llm()).
var saved = Path.Combine(Path.GetTempPath(), "cora-citations-model.zip");
ml.Model.Save(model, train.Schema, saved);
var loadContext = new MLContext();
_ = loadContext.Llm();
var reloaded = loadContext.Model.Load(saved, out _);
var reloadedMetrics = loadContext.MulticlassClassification.Evaluate(reloaded.Transform(loadContext.Data.LoadFromEnumerable(testRows)));
Console.WriteLine($"reloaded model micro-accuracy {reloadedMetrics.MicroAccuracy:0.0000} ({new FileInfo(saved).Length / 1024} KB at {saved})");
File.Delete(saved);

static void Print(string name, MulticlassClassificationMetrics m) =>
    Console.WriteLine($"{name,-22} {m.MicroAccuracy,10:0.0000} {m.MacroAccuracy,10:0.0000} {m.LogLoss,10:0.0000}");

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "LLMML.sln"))) return dir.FullName;
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "LLMML.sln"))) return dir.FullName;
    throw new DirectoryNotFoundException("LLMML.sln not found; pass the path of cora.npz as the first argument.");
}
