namespace LLMML.MLNet.Tasks;

/// <summary>
/// A benchmark task: named splits of (Prompt, Answer) examples, generated deterministically from a seed or read
/// from data, and, when answers come from a closed set, that ordered set (the classes of the Label key).
/// </summary>
public abstract class LlmTask
{
    private readonly Dictionary<string, IReadOnlyList<TaskExample>> _cache = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private Dictionary<string, uint>? _keys;

    /// <summary>Registry name, e.g. "int-sum".</summary>
    public abstract string Name { get; }

    /// <summary>One paragraph: format, source, what is measured.</summary>
    public abstract string Description { get; }

    /// <summary>The closed answer set in key order (key k ↔ AnswerSet[k-1]), or null when answers are open-ended.</summary>
    public abstract IReadOnlyList<string>? AnswerSet { get; }

    /// <summary>Split names in display order.</summary>
    public abstract IReadOnlyList<string> SplitNames { get; }

    /// <summary>What the split holds (one line).</summary>
    protected abstract string DescribeSplit(string split);

    /// <summary>Builds a split's examples (called once per split; results are cached).</summary>
    protected abstract IReadOnlyList<TaskExample> Generate(string split);

    /// <summary>The examples of <paramref name="split"/>; unknown names throw, listing the valid ones.</summary>
    public IReadOnlyList<TaskExample> GetExamples(string split)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (!SplitNames.Contains(split))
            throw new ArgumentOutOfRangeException(nameof(split), $"Task '{Name}' has no split '{split}'; it has: {string.Join(", ", SplitNames)}.");
        lock (_lock)
        {
            if (!_cache.TryGetValue(split, out var examples))
                _cache[split] = examples = Generate(split);
            return examples;
        }
    }

    /// <summary>Whether every answer of the split is in <see cref="AnswerSet"/>.</summary>
    public bool IsClosed(string split)
    {
        if (AnswerSet is null) return false;
        var set = new HashSet<string>(AnswerSet, StringComparer.Ordinal);
        return GetExamples(split).All(e => set.Contains(e.Answer));
    }

    /// <summary>Name, size, description and closedness of every split (generates them).</summary>
    public IReadOnlyList<TaskSplitInfo> DescribeSplits() =>
        SplitNames.Select(s => new TaskSplitInfo(s, GetExamples(s).Count, DescribeSplit(s), IsClosed(s))).ToArray();

    /// <summary>The 1-based key of <paramref name="answer"/> in <see cref="AnswerSet"/>, or 0 when absent (ML.NET's missing key).</summary>
    public uint KeyOf(string answer)
    {
        if (AnswerSet is null) return 0;
        lock (_lock)
        {
            _keys ??= AnswerSet.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => (uint)(p.i + 1), StringComparer.Ordinal);
            return _keys.TryGetValue(answer, out var key) ? key : 0;
        }
    }
}
