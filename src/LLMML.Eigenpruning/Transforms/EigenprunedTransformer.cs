using System.Text;
using LLMML.Eigenpruning.Pruning;
using LLMML.Foundation.Persistence;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Persistence;
using LLMML.Scoring.Hosting;
using Microsoft.ML;

namespace LLMML.Eigenpruning.Transforms;

/// <summary>
/// A fitted eigenpruning: the pruned language model and the <see cref="Report"/> of what was removed. Transform scores
/// rows with the pruned model exactly as <c>ScoreAnswers</c> does — <c>Score</c>/<c>PredictedLabel</c> over the closed
/// answer set (so <c>mlContext.MulticlassClassification.Evaluate</c> works), the gold answer's log-likelihood, and
/// optionally a greedy <c>Generated</c> answer. Saves to one archive (also inside ML.NET pipelines) and exports the
/// pruned model as a Hugging Face checkpoint.
/// </summary>
public sealed class EigenprunedTransformer : LanguageModelTransformerBase<EigenprunedTransformer, EigenpruneOptions>, IArchivableTransformer<EigenprunedTransformer>
{
    private const string ReportBlob = "eigenprune/report.json";

    internal EigenprunedTransformer(MLContext mlContext, EigenpruneOptions options, LanguageModel model, EigenpruneReport report)
        : base(mlContext, options, model, ownsModel: true)
    {
        Report = report;
    }

    /// <summary>Stable archive component type.</summary>
    public static string ComponentType => "LLMML.Eigenpruning.Eigenpruned";

    /// <summary>What was removed, per matrix and per singular value.</summary>
    public EigenpruneReport Report { get; }

    /// <summary>Writes the pruned model as a Hugging Face checkpoint directory (config.json, model.safetensors, tokenizer files).</summary>
    public void ExportCheckpoint(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Model.Save(directory);
    }

    /// <summary>Loads a transformer saved with <see cref="LLMML.MLNet.Transforms.BatchedTransformerBase.Save"/>.</summary>
    public static EigenprunedTransformer Load(MLContext mlContext, string path) => LlmModels.Load<EigenprunedTransformer>(mlContext, path);

    /// <inheritdoc />
    public static EigenprunedTransformer FromArchive(MLContext mlContext, ModelArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        EigenpruneReport report;
        try
        {
            report = EigenpruneReport.FromJson(Encoding.UTF8.GetString(archive.GetBlob(ReportBlob)));
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"{archive.SourceName}: the saved eigenpruning report is invalid: {e.Message}", e);
        }
        var (options, model) = ReadArchive(mlContext, archive);
        return new EigenprunedTransformer(mlContext, options, model, report);
    }

    /// <inheritdoc />
    protected override void AddBlobs(IDictionary<string, byte[]> blobs) => blobs[ReportBlob] = Encoding.UTF8.GetBytes(Report.ToJson());
}
