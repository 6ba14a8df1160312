using LLMML.Complexity.Metrics;
using LLMML.MLNet.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.Complexity.Evaluation;

/// <summary>Reads a task split's IDataView into rows (strategies and metrics index them many times).</summary>
internal static class TaskRows
{
    public static EvaluationSet Read(IDataView data, ComplexityOptions options, string split)
    {
        ArgumentNullException.ThrowIfNull(data);
        var schema = data.Schema;
        var prompt = Text(schema, options.PromptColumn, split);
        var answer = Text(schema, options.AnswerColumn, split);
        var rows = new List<TaskExample>();
        using (var cursor = data.GetRowCursor([prompt, answer]))
        {
            var getPrompt = cursor.GetGetter<ReadOnlyMemory<char>>(prompt);
            var getAnswer = cursor.GetGetter<ReadOnlyMemory<char>>(answer);
            ReadOnlyMemory<char> p = default, a = default;
            while (cursor.MoveNext())
            {
                getPrompt(ref p);
                getAnswer(ref a);
                rows.Add(new TaskExample(p.ToString(), a.ToString()));
            }
        }
        if (rows.Count == 0) throw new ArgumentException($"The {split} split is empty: there is nothing to {(split == "train" ? "train on or take examples from" : "score")}.", split);
        return new EvaluationSet(rows, AnswerSet(schema, options.LabelColumn));
    }

    private static DataViewSchema.Column Text(DataViewSchema schema, string name, string split)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The {split} split has no column '{name}' (columns: {string.Join(", ", schema.Select(c => c.Name))}).", split);
        if (column.Type is not TextDataViewType)
            throw new ArgumentException($"Column '{name}' of the {split} split is {column.Type}, not text.", split);
        return column;
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
