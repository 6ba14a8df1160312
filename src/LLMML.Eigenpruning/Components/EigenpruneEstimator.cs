using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Components;
using LLMML.MLNet.Mapping;
using LLMML.MLNet.Persistence;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Components;
using Microsoft.ML;

namespace LLMML.Eigenpruning.Components;

/// <summary>
/// Fits eigenpruning: reads the training rows (prompt, answer), scores every singular value of the selected matrices of
/// a copy of the language model, removes the lowest-scored ones and returns an <see cref="EigenprunedTransformer"/>
/// holding the pruned copy. The model given (or loaded from <see cref="ScoreAnswersOptions.ModelDirectory"/>) is never
/// modified. Create it with <c>mlContext.Llm().Eigenprune(options)</c>.
/// </summary>
public sealed class EigenpruneEstimator : IEstimator<EigenprunedTransformer>
{
    private const string Component = "Eigenprune";
    private readonly MLContext mlContext;
    private readonly EigenpruneOptions options;
    private readonly LanguageModel? model;

    internal EigenpruneEstimator(MLContext mlContext, EigenpruneOptions options, LanguageModel? model)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckpointSource.Require(model, options.ModelDirectory, nameof(EigenpruneOptions));
        this.mlContext = mlContext;
        this.options = options.Copy();
        this.model = model;
    }

    /// <inheritdoc />
    public EigenprunedTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(MLNetModelBridge.ToSchemaShape(input.Schema));
        var answerColumn = options.AnswerColumn ?? throw new ArgumentException("Eigenpruning learns from gold answers: set AnswerColumn.", nameof(input));
        var rows = TaskRows.Read(input, options.PromptColumn, answerColumn, Component, options.MaxExamples);
        var pruned = model?.Clone() ?? CheckpointSource.Load(mlContext, options.ModelDirectory!);
        try
        {
            var examples = Eigenpruner.Encode(pruned, rows, options);
            var report = Eigenpruner.Prune(pruned, examples, options, options.CancellationToken);
            return new EigenprunedTransformer(mlContext, options.Copy(), pruned, report);
        }
        catch
        {
            pruned.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        IReadOnlyList<BatchInputColumn> required = options.AnswerColumn is { } a
            ? [BatchInputColumn.Text(options.PromptColumn), BatchInputColumn.Text(a)]
            : [BatchInputColumn.Text(options.PromptColumn)];
        return EstimatorSchemas.Extend(inputSchema, required, AnswerScoringColumns.Outputs(options), Component);
    }
}
