using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Tasks;

/// <summary>Reads (prompt, answer) rows out of an IDataView, for components that learn from a whole split at Fit.</summary>
public static class TaskRows
{
    /// <summary>
    /// Every row's prompt and answer text, in order (at most <paramref name="limit"/>). A missing or non-text column
    /// throws naming it; <paramref name="component"/> says who asked.
    /// </summary>
    public static IReadOnlyList<TaskExample> Read(IDataView data, string promptColumn, string answerColumn, string component, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var prompt = TextColumn(data.Schema, promptColumn, component);
        var answer = TextColumn(data.Schema, answerColumn, component);
        var rows = new List<TaskExample>();
        using var cursor = data.GetRowCursor([prompt, answer]);
        var getPrompt = cursor.GetGetter<ReadOnlyMemory<char>>(prompt);
        var getAnswer = cursor.GetGetter<ReadOnlyMemory<char>>(answer);
        ReadOnlyMemory<char> p = default, a = default;
        while ((limit is null || rows.Count < limit) && cursor.MoveNext())
        {
            getPrompt(ref p);
            getAnswer(ref a);
            rows.Add(new TaskExample(p.ToString(), a.ToString()));
        }
        return rows;
    }

    private static DataViewSchema.Column TextColumn(DataViewSchema schema, string name, string component)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(name), $"{component}: input column '{name}' was not found (columns: {string.Join(", ", schema.Select(c => c.Name))}).");
        if (column.Type is not TextDataViewType)
            throw new ArgumentOutOfRangeException(nameof(name), $"{component}: input column '{name}' must be text, but it is {column.Type}.");
        return column;
    }
}
