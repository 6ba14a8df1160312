// Score a task with a model organism, then evaluate with ML.NET: `dotnet run -- [organism=post] [task=int-sum] [rows=200]`.
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Tasks;
using LLMML.ModelOrganisms;
using LLMML.Scoring.Transforms;
using Microsoft.ML;

var organism = args.ElementAtOrDefault(0) ?? "post";
var taskName = args.ElementAtOrDefault(1) ?? "int-sum";
var rows = int.Parse(args.ElementAtOrDefault(2) ?? "200");

var modelDir = FindOrganism(organism);
if (modelDir is null)
{
    // The organisms are trained by `llmml pretrain` into data/models; until they exist, score an untrained stand-in.
    modelDir = Path.Combine(Path.GetTempPath(), "llmml-taskscoring-standin");
    var recipe = OrganismRecipe.For(OrganismKind.Random);
    var tokenizer = recipe.CreateTokenizer();
    TorchSharp.torch.manual_seed(recipe.Seed);
    using var standIn = new LanguageModel(new CausalLanguageModel(recipe.CreateConfig(tokenizer)), tokenizer);
    standIn.Save(modelDir);
    Console.WriteLine($"data/models/{organism} not found: using an UNTRAINED stand-in with the organisms' architecture ({modelDir}).");
}

var ml = new MLContext(seed: 0);
var task = ml.Llm().Tasks.Get(taskName);
var test = ml.Llm().Tasks.Load(taskName, TaskSplits.Test, rows);

var options = ScoreAnswersOptions.ForTask(task, closedSet: task.AnswerSet is not null, modelDir);
using var scorer = ml.Llm().ScoreAnswers(options).Fit(test);
// Cache every scored column on first use, so the evaluators below share one pass of the model.
var scored = ml.Data.Cache(scorer.Transform(test), scorer.GetOutputSchema(test.Schema).Select(c => c.Name).ToArray());

var report = LlmEvaluator.Evaluate(ml, scored, task.Name, TaskSplits.Test);
Console.WriteLine($"{organism} on {task.Name} ({report.Rows} test rows, model {modelDir})");
if (report.Multiclass is { } m)
    Console.WriteLine($"  closed-set accuracy {m.MicroAccuracy:P1}  macro {m.MacroAccuracy:P1}  log-loss {m.LogLoss:F3} over {m.Classes} answers");
Console.WriteLine($"  mean answer log-likelihood {report.AnswerLikelihood!.MeanLogLikelihood:F3} nats ({report.AnswerLikelihood.MeanLogLikelihoodPerToken:F3} per token)");

static string? FindOrganism(string name)
{
    try { return TaskData.FindDirectory(Path.Combine("models", name), "config.json"); }
    catch (DirectoryNotFoundException) { return null; }
}
