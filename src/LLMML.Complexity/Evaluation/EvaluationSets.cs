using LLMML.Complexity.Metrics;
using LLMML.MLNet.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.Complexity.Evaluation;

/// <summary>Reads a task split's IDataView into an <see cref="EvaluationSet"/> (strategies and metrics index its rows many times).</summary>
internal static class EvaluationSets
{
    public static EvaluationSet Read(IDataView data, ComplexityOptions options, string split)
    {
        ArgumentNullException.ThrowIfNull(data);
        var rows = TaskRows.Read(data, options.PromptColumn, options.AnswerColumn, $"the {split} split");
        if (rows.Count == 0) throw new ArgumentException($"The {split} split is empty: there is nothing to {(split == "train" ? "train on or take examples from" : "score")}.", split);
        return new EvaluationSet(rows, AnswerSet(data.Schema, options.LabelColumn));
    }

    /// <summary>The label's key values when it is a key column that has them, else null.</summary>
    private static IReadOnlyList<string>? AnswerSet(DataViewSchema schema, string name)
    {
        if (schema.GetColumnOrNull(name) is not { Type: KeyDataViewType } label || label.Annotations.Schema.GetColumnOrNull("KeyValues") is null) return null;
        VBuffer<ReadOnlyMemory<char>> values = default;
        label.GetKeyValues(ref values);
        return values.DenseValues().Select(v => v.ToString()).ToArray();
    }
}
