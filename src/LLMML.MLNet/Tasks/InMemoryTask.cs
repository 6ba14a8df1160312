namespace LLMML.MLNet.Tasks;

/// <summary>
/// A task over rows the caller already holds, split by name: the user's own examples (or rows rewritten for one
/// evaluation, e.g. with a prompt prefix) get everything a registered task has — <see cref="TaskDataViews"/>, the
/// key-typed Label over a closed answer set, split descriptions.
/// </summary>
public sealed class InMemoryTask : LlmTask
{
    private readonly Dictionary<string, IReadOnlyList<TaskExample>> _splits;
    private readonly string[] _splitNames;

    /// <param name="name">Task name in reports.</param>
    /// <param name="splits">Split name → rows, in display order (at least one split).</param>
    /// <param name="answerSet">The closed answer set in key order, or null for open-ended answers.</param>
    /// <param name="description">One line on what the rows are.</param>
    public InMemoryTask(string name, IEnumerable<KeyValuePair<string, IReadOnlyList<TaskExample>>> splits, IReadOnlyList<string>? answerSet = null, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(splits);
        _splits = new Dictionary<string, IReadOnlyList<TaskExample>>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var (split, rows) in splits)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(split, nameof(splits));
            if (!_splits.TryAdd(split, rows ?? throw new ArgumentException($"Split '{split}' has no rows list.", nameof(splits))))
                throw new ArgumentException($"Split '{split}' is given twice.", nameof(splits));
            names.Add(split);
        }
        if (names.Count == 0) throw new ArgumentException("Give at least one split.", nameof(splits));
        Name = name;
        AnswerSet = answerSet?.ToArray();
        Description = description ?? "rows given in memory";
        _splitNames = names.ToArray();
    }

    /// <summary>A task whose only split is <see cref="TaskSplits.Test"/>.</summary>
    public static InMemoryTask OfTest(string name, IReadOnlyList<TaskExample> test, IReadOnlyList<string>? answerSet = null, string? description = null) =>
        new(name, [new(TaskSplits.Test, test)], answerSet, description);

    public override string Name { get; }

    public override string Description { get; }

    public override IReadOnlyList<string>? AnswerSet { get; }

    public override IReadOnlyList<string> SplitNames => _splitNames;

    protected override string DescribeSplit(string split) => $"{_splits[split].Count} rows given in memory";

    protected override IReadOnlyList<TaskExample> Generate(string split) => _splits[split];
}
