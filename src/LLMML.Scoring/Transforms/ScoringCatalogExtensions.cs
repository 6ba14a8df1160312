using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Catalog;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;

// In Microsoft.ML's namespace, next to mlContext.Llm(), so the extension is found without an extra using.
namespace Microsoft.ML;

/// <summary>LM answer scoring on <c>mlContext.Llm()</c>.</summary>
public static class ScoringCatalogExtensions
{
    /// <summary>
    /// Scores rows with a language model: closed-set <c>Score</c>/<c>PredictedLabel</c>, the gold answer's
    /// <c>AnswerLogLikelihood</c>, and optionally a greedy <c>Generated</c> completion (see <see cref="ScoreAnswersOptions"/>).
    /// </summary>
    /// <param name="catalog">The LLMML catalog.</param>
    /// <param name="options">Settings; <see cref="ScoreAnswersOptions.ModelDirectory"/> is loaded at Fit unless <paramref name="model"/> is given.</param>
    /// <param name="model">A loaded model to use as is (on its own device; not disposed by the transformer).</param>
    public static AnswerScoringEstimator ScoreAnswers(this LlmCatalog catalog, ScoreAnswersOptions options, LanguageModel? model = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AnswerScoringEstimator(catalog.Context, options, model);
    }

    /// <summary>Scores a task's rows with the checkpoint in <paramref name="modelDirectory"/> over the task's closed answer set.</summary>
    /// <exception cref="ArgumentException">The task's answers are open-ended (use the options overload with <c>closedSet: false</c>).</exception>
    public static AnswerScoringEstimator ScoreAnswers(this LlmCatalog catalog, LlmTask task, string modelDirectory, bool generate = false, int batchSize = 16)
    {
        var options = ScoreAnswersOptions.ForTask(task, closedSet: true, modelDirectory);
        options.Generate = generate;
        options.BatchSize = batchSize;
        return catalog.ScoreAnswers(options);
    }
}
