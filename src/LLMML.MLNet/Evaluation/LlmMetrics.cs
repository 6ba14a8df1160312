using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Evaluation;

/// <summary>Torch-free metrics over scored IDataViews.</summary>
public static class LlmMetrics
{
    /// <summary>Default column names the LM scorer writes.</summary>
    public const string GeneratedColumn = "Generated", AnswerLogLikelihoodColumn = "AnswerLogLikelihood", AnswerTokenCountColumn = "AnswerTokenCount";

    /// <summary>Fraction of rows whose <paramref name="generatedColumn"/> text matches <paramref name="answerColumn"/> (<see cref="AnswerMatching"/>).</summary>
    public static double ExactMatchAccuracy(IDataView data, string generatedColumn = GeneratedColumn, string answerColumn = "Answer")
    {
        var generated = ReadText(data, generatedColumn);
        var answers = ReadText(data, answerColumn);
        return ExactMatchAccuracy(generated, answers);
    }

    /// <summary>Fraction of pairs that match; throws on empty input or unequal lengths.</summary>
    public static double ExactMatchAccuracy(IReadOnlyList<string> generated, IReadOnlyList<string> answers)
    {
        if (generated.Count != answers.Count)
            throw new ArgumentException($"{generated.Count} generations but {answers.Count} answers.");
        if (generated.Count == 0) throw new ArgumentException("No rows to score.");
        int hits = 0;
        for (int i = 0; i < generated.Count; i++)
            if (AnswerMatching.IsExactMatch(generated[i], answers[i])) hits++;
        return (double)hits / generated.Count;
    }

    /// <summary>
    /// Aggregates per-row answer log-likelihoods (<paramref name="logLikelihoodColumn"/>, Single or Double) and, when the
    /// token-count column exists, the token-weighted per-token mean.
    /// </summary>
    public static AnswerLikelihoodSummary AnswerLikelihood(IDataView data, string logLikelihoodColumn = AnswerLogLikelihoodColumn, string tokenCountColumn = AnswerTokenCountColumn)
    {
        ArgumentNullException.ThrowIfNull(data);
        var ll = ReadNumbers(data, logLikelihoodColumn);
        var tokens = data.Schema.GetColumnOrNull(tokenCountColumn) is null ? null : ReadNumbers(data, tokenCountColumn);
        return AnswerLikelihoodSummary.From(ll, tokens);
    }

    /// <summary>
    /// <c>mlContext.MulticlassClassification.Evaluate</c> with the column names tasks and <see cref="ClosedSetScoring"/> use.
    /// </summary>
    public static MulticlassClassificationMetrics Multiclass(MLContext mlContext, IDataView scored, string labelColumn = "Label", int topKPredictionCount = 0) =>
        mlContext.MulticlassClassification.Evaluate(scored, labelColumn, ClosedSetScoring.ScoreColumn, ClosedSetScoring.PredictedLabelColumn, topKPredictionCount);

    private static List<string> ReadText(IDataView data, string column)
    {
        var col = data.Schema.GetColumnOrNull(column) ?? throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column}' was not found.");
        if (col.Type is not TextDataViewType) throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column}' must be text, but it is {col.Type}.");
        var values = new List<string>();
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(col);
        ReadOnlyMemory<char> v = default;
        while (cursor.MoveNext())
        {
            getter(ref v);
            values.Add(v.ToString());
        }
        return values;
    }

    private static List<double> ReadNumbers(IDataView data, string column)
    {
        var col = data.Schema.GetColumnOrNull(column) ?? throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column}' was not found.");
        var values = new List<double>();
        using var cursor = data.GetRowCursor([col]);
        Func<double> read = col.Type.RawType switch
        {
            var t when t == typeof(float) => Reader<float>(cursor, col, f => f),
            var t when t == typeof(double) => Reader<double>(cursor, col, d => d),
            var t when t == typeof(int) => Reader<int>(cursor, col, i => i),
            var t when t == typeof(long) => Reader<long>(cursor, col, l => l),
            _ => throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column}' must be numeric, but it is {col.Type}."),
        };
        while (cursor.MoveNext()) values.Add(read());
        return values;
    }

    private static Func<double> Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column col, Func<T, double> convert)
    {
        var getter = cursor.GetGetter<T>(col);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }
}

/// <summary>Mean answer log-likelihood over rows, and per token when token counts are known.</summary>
/// <param name="Count">Rows aggregated.</param>
/// <param name="MeanLogLikelihood">Mean over rows of the answer's total log-likelihood (nats).</param>
/// <param name="MeanLogLikelihoodPerToken">Σ log-likelihood / Σ tokens, or null without token counts.</param>
/// <param name="MeanProbability">Mean over rows of exp(log-likelihood): the probability of producing the whole answer.</param>
public sealed record AnswerLikelihoodSummary(int Count, double MeanLogLikelihood, double? MeanLogLikelihoodPerToken, double MeanProbability)
{
    /// <summary>Aggregates arrays; <paramref name="tokenCounts"/> must align with <paramref name="logLikelihoods"/> when given.</summary>
    public static AnswerLikelihoodSummary From(IReadOnlyList<double> logLikelihoods, IReadOnlyList<double>? tokenCounts = null)
    {
        ArgumentNullException.ThrowIfNull(logLikelihoods);
        if (logLikelihoods.Count == 0) throw new ArgumentException("No rows to aggregate.", nameof(logLikelihoods));
        if (tokenCounts is not null && tokenCounts.Count != logLikelihoods.Count)
            throw new ArgumentException($"{tokenCounts.Count} token counts for {logLikelihoods.Count} log-likelihoods.", nameof(tokenCounts));
        double sum = 0, probability = 0;
        foreach (var l in logLikelihoods)
        {
            if (double.IsNaN(l) || l > 0) throw new ArgumentException($"Log-likelihood {l} is not ≤ 0.", nameof(logLikelihoods));
            sum += l;
            probability += Math.Exp(l);
        }
        double? perToken = null;
        if (tokenCounts is not null)
        {
            var tokens = tokenCounts.Sum();
            if (tokens <= 0) throw new ArgumentException("Token counts sum to zero.", nameof(tokenCounts));
            perToken = sum / tokens;
        }
        return new(logLikelihoods.Count, sum / logLikelihoods.Count, perToken, probability / logLikelihoods.Count);
    }
}
