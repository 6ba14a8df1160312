using System.Diagnostics;
using LLMML.Complexity.Metrics;
using LLMML.Complexity.Reporting;
using LLMML.Complexity.Strategies;
using LLMML.Scoring.Transforms;
using LLMML.Scoring.Hosting;
using Microsoft.ML;

namespace LLMML.Complexity.Evaluation;

/// <summary>
/// Measures task complexity (METHODS.md §4): for each model, runs every strategy's programs, scores each on the test
/// split, and reports runs, Pareto frontiers, C(δ) and the ratios between models. Created by
/// <c>mlContext.Llm().Complexity(options)</c>.
/// </summary>
public sealed class ComplexityEvaluator
{
    private readonly MLContext _mlContext;
    private readonly ComplexityOptions _options;

    internal ComplexityEvaluator(MLContext mlContext, ComplexityOptions options)
    {
        _mlContext = mlContext ?? throw new ArgumentNullException(nameof(mlContext));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
    }

    /// <summary>Runs the evaluation on a task's train and test splits (Prompt, Answer and optionally a key Label).</summary>
    /// <exception cref="ArgumentException">An empty split, a missing column, or a model whose tokenizer cannot encode the task.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public ComplexityReport Evaluate(IDataView train, IDataView test)
    {
        var trainAll = EvaluationSets.Read(train, _options, "train");
        // The validation rows come off the end of the training split: no strategy trains on them or shows them.
        var validationCount = _options.ValidationSize(trainAll.Count);
        var trainSet = trainAll with { Examples = trainAll.Examples.Take(trainAll.Count - validationCount).ToArray() };
        var validationSet = trainAll with { Examples = trainAll.Examples.Skip(trainAll.Count - validationCount).ToArray() };
        var testSet = EvaluationSets.Read(test, _options, "test");
        var strategies = _options.Strategies ?? ComplexityOptions.DefaultStrategies(_options.TaskName);
        var cancellation = _options.CancellationToken;
        var runs = new List<ComplexityRun>();
        var notes = new List<string>();
        foreach (var spec in _options.Models)
        {
            cancellation.ThrowIfCancellationRequested();
            var model = spec.Model ?? CheckpointSource.Load(_mlContext, spec.Directory!);
            try
            {
                TaskEncodability.Check(spec.Name, model, trainSet, testSet);
                Func<LLMML.LanguageModels.Generation.LanguageModel, double>? validate = validationCount == 0 ? null
                    : m => _options.Metric.Score(m, "", validationSet, null, spec.Name + " · validation", cancellation);
                var context = new StrategyContext(spec.Name, model, trainSet.Examples, testSet.Examples, _options.Budget, _options.Seed, _options.Progress, cancellation, validate);
                foreach (var strategy in strategies)
                    runs.AddRange(Run(strategy, context, testSet));
                notes.AddRange(context.Notes);
            }
            finally
            {
                if (spec.Model is null) model.Dispose();
            }
        }
        return new ComplexityReport(_options.TaskName, _options.Metric.Name, _options.Models.Select(m => m.Name).ToArray(), runs, _options.Targets.ToArray(), notes);
    }

    private IEnumerable<ComplexityRun> Run(IComplexityStrategy strategy, StrategyContext context, EvaluationSet test)
    {
        var runs = new List<ComplexityRun>();
        using var programs = strategy.Programs(context).GetEnumerator();
        while (true)
        {
            // A program's time is what building it (training, coding) and scoring it took.
            var clock = Stopwatch.StartNew();
            if (!programs.MoveNext()) break;
            var program = programs.Current;
            var score = _options.Metric.Score(program.Model, program.PromptPrefix, test, _options.Progress, context.Stage("score"), context.CancellationToken);
            if (program.Payload.BitLength != program.Length.PayloadBits)
                throw new InvalidOperationException($"Strategy '{strategy.Name}' {program.Configuration}: its payload has {program.Payload.BitLength} bits but its length counts {program.Length.PayloadBits}.");
            runs.Add(new ComplexityRun(context.ModelName, strategy.Name, program.Configuration, program.Length.FixedCodeBits,
                program.Length.PayloadBits, score, clock.Elapsed.TotalSeconds, program.Length.IdealPayloadBits)
            {
                FixedCode = program.Length.FixedCode,
                ProgramFile = program.Length.Code.Name,
                Payload = program.Payload,
                PaperFixedCodeBits = program.Length.PaperFixedCodeBits,
                Selected = program.Selected,
                Details = program.Details,
            });
        }
        return runs;
    }
}
