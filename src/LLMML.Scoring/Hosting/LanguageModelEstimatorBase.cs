using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;
using LLMML.MLNet.Transforms;
using LLMML.MLNet.Persistence;
using LLMML.Scoring.Transforms;
using Microsoft.ML;

namespace LLMML.Scoring.Hosting;

/// <summary>
/// Base of estimators whose transformer holds a language model and scores rows with it as <c>ScoreAnswers</c> does:
/// validates the options once, requires a model or a checkpoint directory, checks the input columns at
/// <see cref="Fit"/> and then hands over to <see cref="FitCore"/>, which loads (<see cref="LoadModel"/>) or takes
/// the model and builds the transformer.
/// </summary>
/// <typeparam name="TOptions">The component's options (answer-scoring settings plus its own).</typeparam>
/// <typeparam name="TTransformer">The fitted transformer.</typeparam>
public abstract class LanguageModelEstimatorBase<TOptions, TTransformer> : IEstimator<TTransformer>
    where TOptions : ScoreAnswersOptions
    where TTransformer : class, ITransformer
{
    private readonly string _component;

    /// <param name="mlContext">The context whose device settings a loaded model follows.</param>
    /// <param name="options">Settings (copied; validated now).</param>
    /// <param name="model">A loaded model to use, or null to load <see cref="ScoreAnswersOptions.ModelDirectory"/> at Fit.</param>
    /// <param name="component">Names the component in schema errors, e.g. "LM answer scoring".</param>
    protected LanguageModelEstimatorBase(MLContext mlContext, TOptions options, LanguageModel? model, string component)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckpointSource.Require(model, options.ModelDirectory, typeof(TOptions).Name);
        Context = mlContext;
        Options = (TOptions)options.Clone();
        GivenModel = model;
        this._component = component;
    }

    /// <summary>The context the estimator was created in.</summary>
    protected MLContext Context { get; }

    /// <summary>The estimator's own copy of the settings (pass <c>Options.Clone()</c> on to a transformer).</summary>
    protected TOptions Options { get; }

    /// <summary>The model given at creation (the caller's; never disposed here), or null.</summary>
    protected LanguageModel? GivenModel { get; }

    /// <inheritdoc />
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(MLNetModelBridge.ToSchemaShape(input.Schema));
        AnswerScoringColumns.CheckLabel(Options, input.Schema);
        return FitCore(input);
    }

    /// <summary>Builds the transformer once the input columns are known to be right.</summary>
    protected abstract TTransformer FitCore(IDataView input);

    /// <summary>
    /// The shape every estimator that learns from gold answers shares: reads the (prompt, answer) rows, then hands
    /// <paramref name="fit"/> a model of its own — a copy of the given one, never the caller's, or a fresh load — which
    /// the returned transformer owns; if fitting throws, that model is disposed here.
    /// </summary>
    /// <param name="input">The training rows.</param>
    /// <param name="what">Names the method in the error for a missing answer column, e.g. "Eigenpruning".</param>
    /// <param name="maxExamples">Read at most this many rows (null: all).</param>
    /// <param name="fit">Builds the transformer from the model copy and the rows.</param>
    protected TTransformer FitOnGoldAnswers(IDataView input, string what, int? maxExamples, Func<LanguageModel, IReadOnlyList<TaskExample>, TTransformer> fit)
    {
        var answerColumn = Options.AnswerColumn ?? throw new ArgumentException($"{what} learns from gold answers: set AnswerColumn.", nameof(input));
        var rows = TaskRows.Read(input, Options.PromptColumn, answerColumn, _component, maxExamples);
        if (rows.Count == 0) throw new ArgumentException($"{what} needs training rows, but the data has none.", nameof(input));
        var model = GivenModel?.Clone() ?? LoadModel();
        try
        {
            return fit(model, rows);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Loads <see cref="ScoreAnswersOptions.ModelDirectory"/> onto the context's device (the caller owns the result).</summary>
    protected LanguageModel LoadModel() => CheckpointSource.Load(Context, Options.ModelDirectory!);

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        EstimatorSchemas.Extend(inputSchema, AnswerScoringColumns.Inputs(Options, Options.AnswerColumn), AnswerScoringColumns.Outputs(Options, Options.AnswerColumn is not null), _component);
}
