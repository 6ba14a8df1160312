using LLMML.LanguageModels.Generation;
using LLMML.Scoring.Hosting;
using Microsoft.ML;

namespace LLMML.Scoring.Transforms;

/// <summary>
/// Estimator of <see cref="AnswerScoringTransformer"/>. Nothing is learned: <see cref="LanguageModelEstimatorBase{TOptions, TTransformer}.Fit"/>
/// checks the input columns and loads the model from <see cref="ScoreAnswersOptions.ModelDirectory"/> onto the context's
/// device (or takes the given one).
/// </summary>
public sealed class AnswerScoringEstimator : LanguageModelEstimatorBase<ScoreAnswersOptions, AnswerScoringTransformer>
{
    internal AnswerScoringEstimator(MLContext mlContext, ScoreAnswersOptions options, LanguageModel? model)
        : base(mlContext, options, model, "LM answer scoring")
    {
    }

    /// <inheritdoc />
    protected override AnswerScoringTransformer FitCore(IDataView input) =>
        new(Context, Options.Clone(), GivenModel ?? LoadModel(), ownsModel: GivenModel is null);
}
