using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Evaluation;

/// <summary>Every metric a scored task split supports, in one record (what <c>llmml eval --json</c> prints).</summary>
/// <param name="Task">Task name, if known.</param>
/// <param name="Split">Split name, if known.</param>
/// <param name="Rows">Rows evaluated.</param>
/// <param name="ExactMatchAccuracy">From a <c>Generated</c> column, else null.</param>
/// <param name="AnswerLikelihood">From an <c>AnswerLogLikelihood</c> column, else null.</param>
/// <param name="Multiclass">From <c>Score</c>, <c>PredictedLabel</c> and a key <c>Label</c>, else null.</param>
public sealed record LlmEvaluationReport(
    string? Task,
    string? Split,
    long Rows,
    double? ExactMatchAccuracy,
    AnswerLikelihoodSummary? AnswerLikelihood,
    MulticlassReport? Multiclass)
{
    /// <summary>Indented camelCase JSON; absent metrics are omitted.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    });
}

/// <summary>The ML.NET multiclass metrics, as plain numbers.</summary>
public sealed record MulticlassReport(double MicroAccuracy, double MacroAccuracy, double LogLoss, double LogLossReduction, double? TopKAccuracy, int TopK, int Classes)
{
    /// <summary>Copies the numbers out of ML.NET's metrics object.</summary>
    public static MulticlassReport From(MulticlassClassificationMetrics m, int classes) =>
        new(m.MicroAccuracy, m.MacroAccuracy, m.LogLoss, m.LogLossReduction, m.TopKPredictionCount > 0 ? m.TopKAccuracy : null, m.TopKPredictionCount, classes);
}

/// <summary>Evaluates whatever a scored IDataView carries (see <see cref="LlmEvaluationReport"/>).</summary>
public static class LlmEvaluator
{
    /// <summary>Computes every metric whose columns are present; throws when none are.</summary>
    public static LlmEvaluationReport Evaluate(MLContext mlContext, IDataView scored, string? task = null, string? split = null, int topK = 0)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(scored);
        var schema = scored.Schema;
        double? exact = schema.GetColumnOrNull(LlmMetrics.GeneratedColumn) is null ? null : LlmMetrics.ExactMatchAccuracy(scored);
        var likelihood = schema.GetColumnOrNull(LlmMetrics.AnswerLogLikelihoodColumn) is null ? null : LlmMetrics.AnswerLikelihood(scored);
        MulticlassReport? multiclass = null;
        if (schema.GetColumnOrNull(ClosedSetScoring.ScoreColumn) is not null && schema.GetColumnOrNull(ClosedSetScoring.PredictedLabelColumn) is not null
            && schema.GetColumnOrNull("Label") is { Type: KeyDataViewType key })
            multiclass = MulticlassReport.From(LlmMetrics.Multiclass(mlContext, scored, topKPredictionCount: topK), (int)key.Count);
        if (exact is null && likelihood is null && multiclass is null)
            throw new ArgumentException(
                $"Nothing to evaluate: expected a '{LlmMetrics.GeneratedColumn}', '{LlmMetrics.AnswerLogLikelihoodColumn}' or Score/PredictedLabel/key Label column; " +
                $"the data has {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.", nameof(scored));
        long rows = scored.GetRowCount() ?? Count(scored);
        return new LlmEvaluationReport(task, split, rows, exact, likelihood, multiclass);
    }

    private static long Count(IDataView data)
    {
        long n = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext()) n++;
        return n;
    }
}
