// Inject count_x (tracr-injection) into a model organism, then generate answers, decode the program's variables from the
// LM's residual stream and reload the fitted transformer: `dotnet run -c Release -- [organism=base] [steps=300]`.
using System.Globalization;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Tasks;
using LLMML.TracrInjection.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

var organism = args.ElementAtOrDefault(0) ?? "base";
var steps = int.Parse(args.ElementAtOrDefault(1) ?? "300", CultureInfo.InvariantCulture);

var ml = new MLContext(seed: 0);
var train = ml.Llm().Tasks.Load("count", TaskSplits.Train, limit: 200);
var test = ml.Llm().Tasks.Load("count", TaskSplits.Test, limit: 20);
var modelDirectory = TaskData.FindDirectory(Path.Combine("models", organism), "config.json");

// Fit aligns every training row to count_x's vocabulary, compiles the teacher, verifies it exact on all rows, then trains a
// copy of the LM with CE on the answers + KL to the original on natural text + the alignment loss, with detach-and-roll.
var options = new TracrInjectOptions
{
    ModelDirectory = modelDirectory,
    Program = "count_x",
    MaxNewTokens = 4,
    NaturalTexts = ["the cat saw the red box in the morning.", "a child counted three apples after school."],
    Injection = new() { Steps = steps, LmLearningRate = 3e-4, AdapterLearningRate = 3e-3 },
};
using var injected = ml.Llm().TracrInject(options).Fit(train);
var r = injected.Report;
Console.WriteLine($"{organism}: {r.Steps} steps in {r.Seconds:F1} s; teacher ({r.CompiledLayers} layers, d {r.CompiledWidth}) verified on {r.TeacherExamples} rows; last CE {r.FinalCe:F3}, L_alg {r.FinalAlg:F3}");

// Transform generates answers; exact match against the Answer column.
var scored = injected.Transform(test);
var generated = scored.GetColumn<ReadOnlyMemory<char>>(LlmMetrics.GeneratedColumn).Select(m => m.ToString()).ToArray();
var answers = scored.GetColumn<ReadOnlyMemory<char>>(TaskDataViews.AnswerColumn).Select(m => m.ToString()).ToArray();
Console.WriteLine($"  test exact match {generated.Zip(answers).Count(p => AnswerMatching.IsExactMatch(p.First, p.Second)) / (double)answers.Length:P0}");

// Every RASP variable at every position, read from A(h_L).
var decoded = injected.DecodeVariables([CountTask.PromptFor("x y x x")])[0];
foreach (var variable in decoded.Variables.Keys)
    Console.WriteLine($"  {variable,-14} {string.Join(" ", decoded.Variables[variable].TakeLast(8))}");

var path = Path.Combine(Path.GetTempPath(), $"injected-{organism}-count.zip");
ml.Model.Save(injected, test.Schema, path);   // reload with ml.Llm().LoadModel(path, out _)
Console.WriteLine($"saved to {path}");
