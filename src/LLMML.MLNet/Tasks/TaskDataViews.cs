using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Tasks;

/// <summary>
/// Turns task splits into IDataViews with text columns <c>Prompt</c> and <c>Answer</c>, plus a key-typed
/// <c>Label</c> (raw 1..n over <see cref="LlmTask.AnswerSet"/>, with KeyValues) when every answer of the split is
/// in the closed answer set — the label <c>mlContext.MulticlassClassification.Evaluate</c> expects.
/// </summary>
public static class TaskDataViews
{
    /// <summary>Column names.</summary>
    public const string PromptColumn = "Prompt", AnswerColumn = "Answer", LabelColumn = "Label";

    /// <summary>The split as an IDataView; <paramref name="limit"/> keeps the first rows only.</summary>
    public static IDataView Create(MLContext mlContext, LlmTask task, string split, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(task);
        if (limit is < 0) throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must not be negative.");
        var examples = task.GetExamples(split);
        IEnumerable<TaskExample> rows = limit is { } n ? examples.Take(n) : examples;

        if (!task.IsClosed(split) || task.AnswerSet is not { } answers)
            return mlContext.Data.LoadFromEnumerable(rows.Select(e => new TextRow { Prompt = e.Prompt, Answer = e.Answer }).ToArray());

        var definition = SchemaDefinition.Create(typeof(LabeledRow));
        var label = definition[nameof(LabeledRow.Label)];
        label.ColumnType = new KeyDataViewType(typeof(uint), answers.Count);
        var keyValues = new VBuffer<ReadOnlyMemory<char>>(answers.Count, answers.Select(a => a.AsMemory()).ToArray());
        label.AddAnnotation("KeyValues", keyValues, new VectorDataViewType(TextDataViewType.Instance, answers.Count));
        return mlContext.Data.LoadFromEnumerable(
            rows.Select(e => new LabeledRow { Prompt = e.Prompt, Answer = e.Answer, Label = task.KeyOf(e.Answer) - 1 }).ToArray(),
            definition);
    }

    private sealed class TextRow
    {
        public string Prompt { get; set; } = "";

        public string Answer { get; set; } = "";
    }

    private sealed class LabeledRow
    {
        public string Prompt { get; set; } = "";

        public string Answer { get; set; } = "";

        // LoadFromEnumerable reads a key field as a 0-based index and stores key = value + 1 (checked on ML.NET 5.0.1;
        // a test reads the raw keys back), so this holds KeyOf(answer) − 1. Closed splits have no missing answers.
        public uint Label { get; set; }
    }
}
