using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Mapping;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.Scoring.Transforms;

/// <summary>The columns answer scoring reads and adds for given options (shared by estimator and transformer).</summary>
internal static class AnswerScoringColumns
{
    /// <summary>The column ML.NET's multiclass evaluator reads by default, compared with <c>PredictedLabel</c>.</summary>
    public const string LabelColumn = "Label";

    /// <param name="options">The settings.</param>
    /// <param name="answerColumn">The gold answer column read, or null when the rows carry none (prediction).</param>
    public static IReadOnlyList<BatchInputColumn> Inputs(ScoreAnswersOptions options, string? answerColumn) =>
        answerColumn is { } a ? [BatchInputColumn.Text(options.PromptColumn), BatchInputColumn.Text(a)] : [BatchInputColumn.Text(options.PromptColumn)];

    /// <param name="options">The settings.</param>
    /// <param name="withGold">Whether the gold answer's log-likelihood columns are added.</param>
    public static IReadOnlyList<BatchOutputColumn> Outputs(ScoreAnswersOptions options, bool withGold)
    {
        var outputs = new List<BatchOutputColumn>();
        if (options.AnswerSet is { } set) outputs.AddRange(ClosedSetScoring.OutputColumns(set));
        if (withGold)
        {
            outputs.Add(BatchOutputColumn.Create<float>(LlmMetrics.AnswerLogLikelihoodColumn, NumberDataViewType.Single));
            outputs.Add(BatchOutputColumn.Create<int>(LlmMetrics.AnswerTokenCountColumn, NumberDataViewType.Int32));
        }
        if (options.Generate) outputs.Add(BatchOutputColumn.Create<ReadOnlyMemory<char>>(LlmMetrics.GeneratedColumn, TextDataViewType.Instance));
        return outputs;
    }

    /// <summary>
    /// Refuses a key-typed <c>Label</c> whose key values are not the answer set in its order. <c>PredictedLabel</c>'s
    /// keys follow the answer set and ML.NET's evaluator compares key indices, not values, so a label mapped with
    /// <c>MapValueToKey</c> in order of appearance would make every metric silently wrong.
    /// </summary>
    public static void CheckLabel(ScoreAnswersOptions options, DataViewSchema schema)
    {
        if (options.AnswerSet is not { } answers || schema.GetColumnOrNull(LabelColumn) is not { Type: KeyDataViewType } label) return;
        if (label.Annotations.Schema.GetColumnOrNull("KeyValues") is not { Type: VectorDataViewType { ItemType: TextDataViewType } }) return;
        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        label.GetKeyValues(ref keyValues);
        var labels = keyValues.DenseValues().Select(v => v.ToString()).ToArray();
        if (labels.SequenceEqual(answers, StringComparer.Ordinal)) return;
        throw new ArgumentException(
            $"Column '{LabelColumn}' has key values [{Preview(labels)}] but PredictedLabel's keys are the answer set [{Preview(answers)}] in that order, " +
            "and ML.NET's evaluator compares key indices: map the label with MapValueToKey(\"Label\", \"Answer\", keyData: <the answer set>) " +
            "or load rows with mlContext.Llm().Tasks.Load.");
    }

    private static string Preview(IReadOnlyList<string> values) =>
        string.Join(", ", values.Take(6).Select(v => $"\"{v}\"")) + (values.Count > 6 ? $", … ({values.Count} in all)" : "");
}
