using LLMML.Foundation.Persistence;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Components;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Mapping;
using LLMML.MLNet.Persistence;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.Scoring.Components;

/// <summary>
/// Scores task rows with a language model. Appends, depending on <see cref="ScoreAnswersOptions"/>:
/// <c>Score</c> (probabilities over the closed answer set: softmax of the log-likelihoods of " " + answer) and
/// <c>PredictedLabel</c> (their arg-max, a key over the answer set) so <c>mlContext.MulticlassClassification.Evaluate</c>
/// works against a task's <c>Label</c>; <c>AnswerLogLikelihood</c> and <c>AnswerTokenCount</c> of the gold answer;
/// <c>Generated</c>, a greedy completion for exact-match accuracy. Each batch of rows is scored by one forward pass
/// (candidates and gold answer together, shared prefixes computed once) under a torch dispose scope.
/// </summary>
public sealed class AnswerScoringTransformer : LlmTransformerBase, IArchivableTransformer<AnswerScoringTransformer>, IDisposable
{
    private const int StateVersion = 1;
    private readonly ScoreAnswersOptions options;
    private readonly bool ownsModel;
    private readonly LanguageModelScorer scorer;

    internal AnswerScoringTransformer(MLContext mlContext, ScoreAnswersOptions options, LanguageModel model, bool ownsModel) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        options.Validate();
        this.options = options;
        this.ownsModel = ownsModel;
        scorer = new LanguageModelScorer(model, options);
    }

    /// <summary>Stable archive component type.</summary>
    public static string ComponentType => "LLMML.Scoring.AnswerScoring";

    /// <summary>The language model scoring the rows.</summary>
    public LanguageModel Model => scorer.Model;

    /// <summary>The closed answer set (Score slots, PredictedLabel keys), or null.</summary>
    public IReadOnlyList<string>? AnswerSet => options.AnswerSet;

    /// <summary>Settings in effect (a copy).</summary>
    public ScoreAnswersOptions Options => options.Clone();

    /// <summary>Loads a transformer saved with <see cref="LlmTransformerBase.Save"/>.</summary>
    public static AnswerScoringTransformer Load(MLContext mlContext, string path) => LlmModels.Load<AnswerScoringTransformer>(mlContext, path);

    /// <inheritdoc />
    public static AnswerScoringTransformer FromArchive(MLContext mlContext, ModelArchive archive)
    {
        archive.RequireComponent(ComponentType, StateVersion, StateVersion);
        var options = archive.GetOptions<ScoreAnswersOptions>();
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{archive.SourceName}: saved options are invalid: {e.Message}", e);
        }
        var model = LanguageModelArchiveContent.Read(archive, ContextDevice.For(mlContext));
        return new AnswerScoringTransformer(mlContext, options, model, ownsModel: true);
    }

    /// <inheritdoc />
    public override ModelArchive ToArchive()
    {
        var (tensors, blobs) = LanguageModelArchiveContent.Write(Model);
        return ModelArchive.Create(ComponentType, StateVersion, options, tensors, blobs);
    }

    /// <summary>Disposes the model when this transformer loaded it (a model passed in stays the caller's).</summary>
    public void Dispose()
    {
        if (ownsModel) Model.Dispose();
    }

    /// <inheritdoc />
    protected override BatchedMapping CreateMapping(DataViewSchema inputSchema) => MappingFor(inputSchema);

    /// <summary>The scoring mapping for <paramref name="inputSchema"/> (input columns checked now); for transformers that score with their own model.</summary>
    internal BatchedMapping MappingFor(DataViewSchema inputSchema)
    {
        var mapping = Mapping();
        mapping.GetOutputSchema(inputSchema);   // names a missing or mistyped input column now, not at the first cursor
        return mapping;
    }

    private BatchedMapping Mapping()
    {
        string Continuation(string answer) => TaskFormat.Continuation(answer) + options.AnswerTerminator;
        var candidates = options.AnswerSet?.Select(Continuation).ToArray() ?? [];
        return new BatchedMapping("LM answer scoring", AnswerScoringColumns.Inputs(options), AnswerScoringColumns.Outputs(options), (input, output) =>
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            var prompts = input.Get<ReadOnlyMemory<char>>(options.PromptColumn).Select(p => p.ToString()).ToArray();
            var golds = options.AnswerColumn is { } a ? input.Get<ReadOnlyMemory<char>>(a).Select(x => Continuation(x.ToString())).ToArray() : null;

            if (candidates.Length > 0 || golds is not null)
            {
                // The gold answer is scored as one more continuation in the same forward pass.
                var continuations = prompts.Select((_, i) => (IReadOnlyList<string>)(golds is null ? candidates : [.. candidates, golds[i]])).ToArray();
                var scored = scorer.Score(prompts, continuations, input.FirstPosition);
                if (options.AnswerSet is not null)
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
            if (options.Generate)
            {
                var generated = output.Get<ReadOnlyMemory<char>>(LlmMetrics.GeneratedColumn);
                var completions = scorer.Generate(prompts, input.FirstPosition);
                for (var i = 0; i < prompts.Length; i++) generated[i] = completions[i].AsMemory();
            }
        }, options.BatchSize, options.Progress, () => TorchSharp.torch.NewDisposeScope());
    }
}
