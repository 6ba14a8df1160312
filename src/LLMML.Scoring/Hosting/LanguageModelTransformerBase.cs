using LLMML.Foundation.Persistence;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Transforms;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Mapping;
using LLMML.MLNet.Persistence;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.Scoring.Hosting;

/// <summary>
/// Base of fitted transformers that hold a language model. Transform scores rows with it as <c>ScoreAnswers</c> does
/// (<c>Score</c>/<c>PredictedLabel</c> over the closed answer set, the gold answer's <c>AnswerLogLikelihood</c>, a greedy
/// <c>Generated</c> completion — whichever the options ask for), each batch of rows in one forward pass (candidates and
/// gold answer together, shared prefixes computed once) under a torch dispose scope. The archive holds the options, the
/// model (<see cref="LanguageModelArchiveContent"/>) and whatever blobs a derived class adds.
/// </summary>
/// <typeparam name="TSelf">The derived transformer (its <see cref="IArchivableTransformer{TSelf}.ComponentType"/> names the archive).</typeparam>
/// <typeparam name="TOptions">The component's options.</typeparam>
public abstract class LanguageModelTransformerBase<TSelf, TOptions> : BatchedTransformerBase, IDisposable
    where TSelf : LanguageModelTransformerBase<TSelf, TOptions>, IArchivableTransformer<TSelf>
    where TOptions : ScoreAnswersOptions
{
    private readonly TOptions _options;
    private readonly bool _ownsModel;
    private readonly LanguageModelScorer _scorer;

    /// <param name="mlContext">Registered with the model bridge so pipelines holding the transformer load in it.</param>
    /// <param name="options">Settings in effect (kept as given: pass a copy).</param>
    /// <param name="model">The model rows are scored with.</param>
    /// <param name="ownsModel">Dispose the model with the transformer (true when the component loaded or copied it).</param>
    protected LanguageModelTransformerBase(MLContext mlContext, TOptions options, LanguageModel model, bool ownsModel) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        options.Validate();
        this._options = options;
        this._ownsModel = ownsModel;
        _scorer = new LanguageModelScorer(model, options);
    }

    /// <summary>Archive state version written and accepted.</summary>
    protected const int StateVersion = 1;

    /// <summary>The language model scoring the rows.</summary>
    public LanguageModel Model => _scorer.Model;

    /// <summary>The closed answer set (Score slots, PredictedLabel keys), or null.</summary>
    public IReadOnlyList<string>? AnswerSet => _options.AnswerSet;

    /// <summary>Settings in effect (a copy).</summary>
    public TOptions Options => (TOptions)_options.Clone();

    /// <summary>
    /// Checks the archive's component and version, reads and validates its options and rebuilds the model on the
    /// context's device; anything wrong throws <see cref="InvalidDataException"/> naming the archive.
    /// </summary>
    protected static (TOptions Options, LanguageModel Model) ReadArchive(MLContext mlContext, ModelArchive archive)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(archive);
        archive.RequireComponent(TSelf.ComponentType, StateVersion, StateVersion);
        var options = archive.GetOptions<TOptions>();
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{archive.SourceName}: saved options are invalid: {e.Message}", e);
        }
        return (options, LanguageModelArchiveContent.Read(archive, ContextDevice.For(mlContext)));
    }

    /// <summary>Blobs a derived class saves next to the model (e.g. a report); none by default.</summary>
    protected virtual void AddBlobs(IDictionary<string, byte[]> blobs)
    {
    }

    /// <inheritdoc />
    public override ModelArchive ToArchive()
    {
        var (tensors, blobs) = LanguageModelArchiveContent.Write(Model);
        AddBlobs(blobs);
        return ModelArchive.Create(TSelf.ComponentType, StateVersion, _options, tensors, blobs);
    }

    /// <summary>Disposes the model when this transformer owns it (a model passed in stays the caller's).</summary>
    public void Dispose()
    {
        if (_ownsModel) Model.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override BatchedMapping CreateMapping(DataViewSchema inputSchema)
    {
        AnswerScoringColumns.CheckLabel(_options, inputSchema);
        // Gold answers are needed to fit and to score their likelihood, not to predict: rows without the answer column
        // (a PredictionEngine fed only the prompt) get no AnswerLogLikelihood/AnswerTokenCount columns.
        var gold = _options.AnswerColumn is { } a && inputSchema.GetColumnOrNull(a) is not null ? a : null;
        var mapping = Mapping(gold);
        mapping.GetOutputSchema(inputSchema);   // names a missing or mistyped input column now, not at the first cursor
        return mapping;
    }

    private BatchedMapping Mapping(string? goldColumn)
    {
        string Continuation(string answer) => TaskFormat.Continuation(answer) + _options.AnswerTerminator;
        var candidates = _options.AnswerSet?.Select(Continuation).ToArray() ?? [];
        return new BatchedMapping("LM answer scoring", AnswerScoringColumns.Inputs(_options, goldColumn), AnswerScoringColumns.Outputs(_options, goldColumn is not null), (input, output) =>
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            var prompts = input.Get<ReadOnlyMemory<char>>(_options.PromptColumn).Select(p => p.ToString()).ToArray();
            var golds = goldColumn is { } a ? input.Get<ReadOnlyMemory<char>>(a).Select(x => Continuation(x.ToString())).ToArray() : null;

            if (candidates.Length > 0 || golds is not null)
            {
                // The gold answer is scored as one more continuation in the same forward pass.
                var continuations = prompts.Select((_, i) => (IReadOnlyList<string>)(golds is null ? candidates : [.. candidates, golds[i]])).ToArray();
                var scored = _scorer.Score(prompts, continuations, input.FirstPosition);
                if (_options.AnswerSet is not null)
                {
                    var score = output.Get<VBuffer<float>>(ClosedSetScoring.ScoreColumn);
                    var predicted = output.Get<uint>(ClosedSetScoring.PredictedLabelColumn);
                    for (var i = 0; i < prompts.Length; i++)
                        (score[i], predicted[i]) = ClosedSetScoring.ToScoreAndLabel(scored[i].Take(candidates.Length).Select(s => s.LogLikelihood).ToArray());
                }
                if (golds is not null)
                {
                    var ll = output.Get<float>(LlmMetrics.AnswerLogLikelihoodColumn);
                    var tokens = output.Get<int>(LlmMetrics.AnswerTokenCountColumn);
                    for (var i = 0; i < prompts.Length; i++) (ll[i], tokens[i]) = ((float)scored[i][^1].LogLikelihood, scored[i][^1].TokenCount);
                }
            }
            if (_options.Generate)
            {
                var generated = output.Get<ReadOnlyMemory<char>>(LlmMetrics.GeneratedColumn);
                var completions = _scorer.Generate(prompts, input.FirstPosition);
                for (var i = 0; i < prompts.Length; i++) generated[i] = completions[i].AsMemory();
            }
        }, _options.BatchSize, _options.Progress, () => TorchSharp.torch.NewDisposeScope());
    }
}
