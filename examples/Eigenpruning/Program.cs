// Eigenprune a model organism on a task and compare ML.NET metrics before and after:
// `dotnet run -c Release -- [organism=post] [task=int-mult] [matrices=q,k,v,o,mlp-in,mlp-out] [fraction=0.2]`.
using System.Globalization;
using LLMML.Eigenpruning.Transforms;
using LLMML.Eigenpruning.Matrices;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using Microsoft.ML;

var organism = args.ElementAtOrDefault(0) ?? "post";
var taskName = args.ElementAtOrDefault(1) ?? "int-mult";
var matrices = args.ElementAtOrDefault(2) ?? "q,k,v,o,mlp-in,mlp-out";
var fraction = double.Parse(args.ElementAtOrDefault(3) ?? "0.2", CultureInfo.InvariantCulture);

var ml = new MLContext(seed: 0);
var task = ml.Llm().Tasks.Get(taskName);
var train = ml.Llm().Tasks.Load(taskName, TaskSplits.Train);
var test = ml.Llm().Tasks.Load(taskName, TaskSplits.Test);
var modelDirectory = TaskData.FindDirectory(Path.Combine("models", organism), "config.json");

// The estimator scores every singular value of the chosen matrices on the train split, removes the lowest-scored
// fraction from a copy of the model and returns a transformer that scores answers with the pruned copy.
var options = EigenpruneOptions.ForTask(task, modelDirectory);
options.Matrices = MatrixKinds.Parse(matrices);
options.Fraction = fraction;
using var pruned = ml.Llm().Eigenprune(options).Fit(train);
using var original = ml.Llm().ScoreAnswers(ScoreAnswersOptions.ForTask(task, closedSet: true, modelDirectory)).Fit(test);

var before = ml.MulticlassClassification.Evaluate(original.Transform(test));
var after = ml.MulticlassClassification.Evaluate(pruned.Transform(test));
var report = pruned.Report;
Console.WriteLine($"{organism} on {task.Name}: pruned {report.Pruned.Count} of {report.Candidates} singular values of {options.Settings.DescribeMatrices()} in {report.Seconds:F1} s");
Console.WriteLine($"  closed-set accuracy {before.MicroAccuracy:P1} -> {after.MicroAccuracy:P1}, log-loss {before.LogLoss:F3} -> {after.LogLoss:F3}");

// The report is also a DataFrame (one row per matrix); here: the matrices that lost the most.
var frame = report.ToDataFrame().OrderByDescending("pruned").Head(5);
foreach (var row in frame.Rows)
    Console.WriteLine($"  layer {row["layer"]} {row["kind"]}{(row["head"] is int h ? $" head {h}" : "")}: {row["pruned"]} of {row["rank"]} removed " +
                      $"({(double)row["prunedEnergy"]:P1} of its energy), scores {(double)row["scoreMin"]:G3} … {(double)row["scoreMax"]:G3}");

var path = Path.Combine(Path.GetTempPath(), $"eigenpruned-{organism}-{task.Name}.zip");
ml.Model.Save(pruned, test.Schema, path);   // a whole ML.NET model; reload with ml.Llm().LoadModel(path, out _)
Console.WriteLine($"saved to {path}");
