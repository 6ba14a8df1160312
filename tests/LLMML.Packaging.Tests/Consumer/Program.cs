// A consumer of the packed LLMML packages, built outside the repository by PackageConsumerTests: it loads TorchSharp,
// runs one LM pipeline (answer scoring with the shipped `post` organism from LLMML.Data) and one citations pipeline
// (citation features of Cora), and prints one line per pipeline. Any exception exits non-zero.
using LLMML.Citations.Loading;
using LLMML.Citations.Transforms;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

var ml = new MLContext(seed: 0);

var task = ml.Llm().Tasks.Get("int-sum");
var test = ml.Llm().Tasks.Load("int-sum", TaskSplits.Test, 8);
var options = ScoreAnswersOptions.ForTask(task, closedSet: false, TaskData.Organism("post"));
using var scorer = ml.Llm().ScoreAnswers(options).Fit(test);
var report = LlmEvaluator.Evaluate(ml, scorer.Transform(test), task.Name, TaskSplits.Test);
Console.WriteLine($"LM pipeline: {report.Rows} rows, mean answer log-likelihood {report.AnswerLikelihood!.MeanLogLikelihood:F3}");

var cora = CoraDataset.Read(Path.Combine(TaskData.FindDirectory("citations", "cora.npz"), "cora.npz"));
var g = cora.Graph;
var papers = Enumerable.Range(0, g.NodeCount).Select(i => new Paper
{
    PaperId = g.PaperIds[i],
    References = g.ReferencesOf(i).ToArray().Select(r => g.PaperIds[r]).ToArray(),
    Label = cora.ClassNames[cora.Labels[i]],
});
var data = ml.Data.LoadFromEnumerable(papers);
var featurized = ml.Transforms.FeaturizeCitations(new CitationFeaturizerOptions { FieldColumnName = "Label" }).Fit(data).Transform(data);
var features = featurized.GetColumn<float[]>("CitationFeatures").ToArray();
Console.WriteLine($"Citations pipeline: {features.Length} papers x {features[0].Length} citation features");

public sealed class Paper
{
    public string PaperId { get; set; } = "";

    [VectorType]
    public string[] References { get; set; } = [];

    public string Label { get; set; } = "";
}
