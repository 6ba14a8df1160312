using LLMML.Foundation.Persistence;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Persistence;
using LLMML.Scoring.Hosting;
using Microsoft.ML;

namespace LLMML.Scoring.Transforms;

/// <summary>
/// Scores task rows with a language model. Appends, depending on <see cref="ScoreAnswersOptions"/>:
/// <c>Score</c> (probabilities over the closed answer set: softmax of the log-likelihoods of " " + answer) and
/// <c>PredictedLabel</c> (their arg-max, a key over the answer set) so <c>mlContext.MulticlassClassification.Evaluate</c>
/// works against a task's <c>Label</c>; <c>AnswerLogLikelihood</c> and <c>AnswerTokenCount</c> of the gold answer;
/// <c>Generated</c>, a greedy completion for exact-match accuracy (see <see cref="LanguageModelTransformerBase{TSelf, TOptions}"/>).
/// </summary>
public sealed class AnswerScoringTransformer : LanguageModelTransformerBase<AnswerScoringTransformer, ScoreAnswersOptions>, IArchivableTransformer<AnswerScoringTransformer>
{
    internal AnswerScoringTransformer(MLContext mlContext, ScoreAnswersOptions options, LanguageModel model, bool ownsModel)
        : base(mlContext, options, model, ownsModel)
    {
    }

    /// <summary>Stable archive component type.</summary>
    public static string ComponentType => "LLMML.Scoring.AnswerScoring";

    /// <summary>Loads a transformer saved with <see cref="LLMML.MLNet.Transforms.BatchedTransformerBase.Save"/>.</summary>
    public static AnswerScoringTransformer Load(MLContext mlContext, string path) => LlmModels.Load<AnswerScoringTransformer>(mlContext, path);

    /// <inheritdoc />
    public static AnswerScoringTransformer FromArchive(MLContext mlContext, ModelArchive archive)
    {
        var (options, model) = ReadArchive(mlContext, archive);
        return new AnswerScoringTransformer(mlContext, options, model, ownsModel: true);
    }
}
