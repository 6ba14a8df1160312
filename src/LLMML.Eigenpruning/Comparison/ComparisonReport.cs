using System.Text.Json;
using LLMML.Eigenpruning.Pruning;
using LLMML.Foundation.Persistence;
using Microsoft.Data.Analysis;

namespace LLMML.Eigenpruning.Comparison;

/// <summary>One method's result on the test examples.</summary>
/// <param name="Method">"original", "eigenprune" or a baseline's name.</param>
/// <param name="Accuracy">Share of test answers greedy decoding reproduces exactly (for one-token answers: the arg-max over the vocabulary is the answer token).</param>
/// <param name="MeanLogLikelihood">Mean test answer log-likelihood (nats).</param>
/// <param name="ClosedSetAccuracy">Arg-max over the task's answer set (ML.NET multiclass micro-accuracy), when asked for.</param>
/// <param name="Seconds">Wall time of the adaptation (0 for the original model).</param>
/// <param name="Parameters">Numbers the method set or learned (singular values removed, trainable parameters).</param>
/// <param name="Details">What the method did, in one line.</param>
public sealed record MethodResult(string Method, double Accuracy, double MeanLogLikelihood, double? ClosedSetAccuracy, double Seconds, long Parameters, string Details);

/// <summary>Eigenpruning and its baselines on the same training and test examples.</summary>
public sealed record ComparisonReport(
    int TrainExamples,
    int TestExamples,
    MethodResult Original,
    MethodResult Eigenprune,
    IReadOnlyList<MethodResult> Baselines,
    EigenpruneReport EigenpruneReport)
{
    /// <summary>Original, eigenprune, then the baselines.</summary>
    public IEnumerable<MethodResult> Methods => new[] { Original, Eigenprune }.Concat(Baselines);

    /// <summary>One row per method.</summary>
    public DataFrame ToDataFrame()
    {
        var rows = Methods.ToArray();
        return new DataFrame(
            new StringDataFrameColumn("method", rows.Select(r => r.Method)),
            new DoubleDataFrameColumn("accuracy", rows.Select(r => r.Accuracy)),
            new DoubleDataFrameColumn("closedSetAccuracy", rows.Select(r => r.ClosedSetAccuracy)),
            new DoubleDataFrameColumn("meanLogLikelihood", rows.Select(r => r.MeanLogLikelihood)),
            new DoubleDataFrameColumn("seconds", rows.Select(r => r.Seconds)),
            new Int64DataFrameColumn("parameters", rows.Select(r => r.Parameters)),
            new StringDataFrameColumn("details", rows.Select(r => r.Details)));
    }

    /// <summary>The whole comparison as JSON (camelCase).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ModelArchive.JsonOptions);
}
