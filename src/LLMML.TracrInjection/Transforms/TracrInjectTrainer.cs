using LLMML.LanguageModels.Generation;
using LLMML.Scoring.Hosting;
using LLMML.TracrInjection.Teachers;
using LLMML.TracrInjection.Training;
using Microsoft.ML;

namespace LLMML.TracrInjection.Transforms;

/// <summary>
/// Fits tracr-injection: reads the training rows (prompt, answer), aligns them to the program, compiles the teacher and
/// verifies it exact on every row, then trains a copy of the LM with its adapter (<see cref="TracrInjector"/>). The model
/// given (or loaded from <c>ModelDirectory</c>) is never modified. Create it with <c>mlContext.Llm().TracrInject(options)</c>.
/// </summary>
public sealed class TracrInjectTrainer : LanguageModelEstimatorBase<TracrInjectOptions, TracrInjectTransformer>
{
    private const string Component = "TracrInject";

    internal TracrInjectTrainer(MLContext mlContext, TracrInjectOptions options, LanguageModel? model)
        : base(mlContext, options, model, Component)
    {
    }

    /// <inheritdoc />
    protected override TracrInjectTransformer FitCore(IDataView input) =>
        FitOnGoldAnswers(input, "Injection", Options.MaxExamples, (model, rows) =>
        {
            var program = InjectionProgramCatalog.Get(Options.Program);
            var sequences = InjectionData.Align(model, program.Alignment, rows, Options.AnswerTerminator);
            var (teacher, examples, verified) = InjectionData.PrepareTeacher(program, sequences, rows, Options.Progress, Options.CancellationToken);
            using (teacher)
            {
                var result = TracrInjector.Train(model, teacher, examples, Options.NaturalTexts, Options.Injection, Options.Progress, Options.CancellationToken);
                var last = result.Terms.Count > 0 ? result.Terms[^1] : (double.NaN, double.NaN, double.NaN);
                var report = new InjectionReport(program.Name, Options.Injection.Baseline, teacher.Layers, teacher.Width, verified.Examples, verified.Positions,
                    result.Training.StepsCompleted, result.Seconds, last.Item1, last.Item2, last.Item3);
                return new TracrInjectTransformer(Context, (TracrInjectOptions)Options.Clone(), model, result.Adapter, teacher.Model.Config, program.Alignment, report);
            }
        });
}
