using System.Text;
using LLMML.Eigenpruning.Reporting;
using LLMML.Foundation.Persistence;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Components;
using LLMML.MLNet.Mapping;
using LLMML.MLNet.Persistence;
using LLMML.Scoring.Components;
using LLMML.Scoring.Persistence;
using Microsoft.ML;

namespace LLMML.Eigenpruning.Components;

/// <summary>
/// A fitted eigenpruning: the pruned language model and the <see cref="Report"/> of what was removed. Transform scores
/// rows with the pruned model exactly as <c>ScoreAnswers</c> does — <c>Score</c>/<c>PredictedLabel</c> over the closed
/// answer set (so <c>mlContext.MulticlassClassification.Evaluate</c> works), the gold answer's log-likelihood, and
/// optionally a greedy <c>Generated</c> answer. Saves to one archive (also inside ML.NET pipelines) and exports the
/// pruned model as a Hugging Face checkpoint.
/// </summary>
public sealed class EigenprunedTransformer : LlmTransformerBase, IArchivableTransformer<EigenprunedTransformer>, IDisposable
{
    private const int StateVersion = 1;
    private const string ReportBlob = "eigenprune/report.json";
    private readonly EigenpruneOptions options;
    private readonly AnswerScoringTransformer scorer;

    internal EigenprunedTransformer(MLContext mlContext, EigenpruneOptions options, LanguageModel model, EigenpruneReport report) : base(mlContext)
    {
        this.options = options;
        Report = report;
        scorer = new AnswerScoringTransformer(mlContext, options, model, ownsModel: true);
    }

    /// <summary>Stable archive component type.</summary>
    public static string ComponentType => "LLMML.Eigenpruning.Eigenpruned";

    /// <summary>The pruned model (dense weights; removed singular values folded out, mean contributions folded into biases).</summary>
    public LanguageModel Model => scorer.Model;

    /// <summary>What was removed, per matrix and per singular value.</summary>
    public EigenpruneReport Report { get; }

    /// <summary>The settings it was fitted with (a copy).</summary>
    public EigenpruneOptions Options => options.Copy();

    /// <summary>Writes the pruned model as a Hugging Face checkpoint directory (config.json, model.safetensors, tokenizer files).</summary>
    public void ExportCheckpoint(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Model.Save(directory);
    }

    /// <summary>Loads a transformer saved with <see cref="LlmTransformerBase.Save"/>.</summary>
    public static EigenprunedTransformer Load(MLContext mlContext, string path) => LlmModels.Load<EigenprunedTransformer>(mlContext, path);

    /// <inheritdoc />
    public static EigenprunedTransformer FromArchive(MLContext mlContext, ModelArchive archive)
    {
        archive.RequireComponent(ComponentType, StateVersion, StateVersion);
        var options = archive.GetOptions<EigenpruneOptions>();
        EigenpruneReport report;
        try
        {
            options.Validate();
            report = EigenpruneReport.FromJson(Encoding.UTF8.GetString(archive.GetBlob(ReportBlob)));
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"{archive.SourceName}: the saved eigenpruning state is invalid: {e.Message}", e);
        }
        var model = LanguageModelArchiveContent.Read(archive, ContextDevice.For(mlContext));
        return new EigenprunedTransformer(mlContext, options, model, report);
    }

    /// <inheritdoc />
    public override ModelArchive ToArchive()
    {
        var (tensors, blobs) = LanguageModelArchiveContent.Write(Model);
        blobs[ReportBlob] = Encoding.UTF8.GetBytes(Report.ToJson());
        return ModelArchive.Create(ComponentType, StateVersion, options, tensors, blobs);
    }

    /// <summary>Disposes the pruned model.</summary>
    public void Dispose() => scorer.Dispose();

    /// <inheritdoc />
    protected override BatchedMapping CreateMapping(DataViewSchema inputSchema) => scorer.MappingFor(inputSchema);
}
