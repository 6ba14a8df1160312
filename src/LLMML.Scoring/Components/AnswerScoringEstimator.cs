using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Components;
using LLMML.MLNet.Persistence;
using Microsoft.ML;

namespace LLMML.Scoring.Components;

/// <summary>
/// Estimator of <see cref="AnswerScoringTransformer"/>. Nothing is learned: <see cref="Fit"/> checks the input columns
/// and loads the model from <see cref="ScoreAnswersOptions.ModelDirectory"/> onto the context's device (or takes the given one).
/// </summary>
public sealed class AnswerScoringEstimator : IEstimator<AnswerScoringTransformer>
{
    private readonly MLContext mlContext;
    private readonly ScoreAnswersOptions options;
    private readonly LanguageModel? model;

    internal AnswerScoringEstimator(MLContext mlContext, ScoreAnswersOptions options, LanguageModel? model)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckpointSource.Require(model, options.ModelDirectory, nameof(ScoreAnswersOptions));
        this.mlContext = mlContext;
        this.options = options.Clone();
        this.model = model;
    }

    /// <inheritdoc />
    public AnswerScoringTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(MLNetModelBridge.ToSchemaShape(input.Schema));
        var lm = model ?? CheckpointSource.Load(mlContext, options.ModelDirectory!);
        return new AnswerScoringTransformer(mlContext, options.Clone(), lm, ownsModel: model is null);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        EstimatorSchemas.Extend(inputSchema, AnswerScoringColumns.Inputs(options), AnswerScoringColumns.Outputs(options), "LM answer scoring");
}
