using LLMML.LanguageModels.Generation;
using LLMML.Scoring.Transforms;
using LLMML.Scoring.Hosting;
using Microsoft.ML;

namespace LLMML.Eigenpruning.Transforms;

/// <summary>
/// Fits eigenpruning: reads the training rows (prompt, answer), scores every singular value of the selected matrices of
/// a copy of the language model, removes the lowest-scored ones and returns an <see cref="EigenprunedTransformer"/>
/// holding the pruned copy. The model given (or loaded from <see cref="ScoreAnswersOptions.ModelDirectory"/>) is never
/// modified. Create it with <c>mlContext.Llm().Eigenprune(options)</c>.
/// </summary>
public sealed class EigenpruneEstimator : LanguageModelEstimatorBase<EigenpruneOptions, EigenprunedTransformer>
{
    private const string Component = "Eigenprune";

    internal EigenpruneEstimator(MLContext mlContext, EigenpruneOptions options, LanguageModel? model)
        : base(mlContext, options, model, Component)
    {
    }

    /// <inheritdoc />
    protected override EigenprunedTransformer FitCore(IDataView input) =>
        FitOnGoldAnswers(input, "Eigenpruning", Options.MaxExamples, (pruned, rows) =>
        {
            var examples = Eigenpruner.Encode(pruned, rows, Options);
            var counterfactuals = Options.Corruption == Attribution.Corruption.Counterfactual
                ? Eigenpruner.Encode(pruned, rows.Select((r, i) => r with { Prompt = Options.Counterfactual(r.Prompt, i) }).ToArray(), Options)
                : null;
            var report = Eigenpruner.Prune(pruned, examples, Options.Settings, Options.CancellationToken, counterfactuals);
            return new EigenprunedTransformer(Context, Options.Clone(), pruned, report);
        });
}
