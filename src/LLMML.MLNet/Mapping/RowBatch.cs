namespace LLMML.MLNet.Mapping;

/// <summary>
/// The input rows of one call of a batch function: the values of each declared input column for
/// <see cref="Count"/> consecutive rows. Valid only during the call (the buffers are reused).
/// </summary>
public sealed class RowBatch
{
    private readonly Dictionary<string, (Type RawType, Func<object> View)> _columns;

    internal RowBatch(int count, long firstPosition, Dictionary<string, (Type, Func<object>)> columns)
    {
        Count = count;
        FirstPosition = firstPosition;
        _columns = columns;
    }

    /// <summary>Number of rows in the batch (≤ the mapping's batch size; the last batch may be shorter).</summary>
    public int Count { get; }

    /// <summary>Cursor position of the first row in the batch.</summary>
    public long FirstPosition { get; }

    /// <summary>The values of input column <paramref name="name"/>, in row order.</summary>
    public IReadOnlyList<T> Get<T>(string name)
    {
        if (!_columns.TryGetValue(name, out var c))
            throw new KeyNotFoundException($"Column '{name}' is not an input of this mapping (inputs: {string.Join(", ", _columns.Keys)}).");
        if (c.RawType != typeof(T))
            throw new InvalidCastException($"Input column '{name}' holds {c.RawType.Name} values, not {typeof(T).Name}.");
        return (IReadOnlyList<T>)c.View();
    }
}

/// <summary>The output arrays a batch function fills: one array of <see cref="Count"/> values per declared output column.</summary>
public sealed class OutputBatch
{
    private readonly Dictionary<string, Array> _columns;

    internal OutputBatch(int count, Dictionary<string, Array> columns)
    {
        Count = count;
        _columns = columns;
    }

    /// <summary>Number of rows to fill.</summary>
    public int Count { get; }

    /// <summary>The array to fill for output column <paramref name="name"/> (length <see cref="Count"/>).</summary>
    public T[] Get<T>(string name)
    {
        if (!_columns.TryGetValue(name, out var a))
            throw new KeyNotFoundException($"Column '{name}' is not an output of this mapping (outputs: {string.Join(", ", _columns.Keys)}).");
        return a as T[] ?? throw new InvalidCastException($"Output column '{name}' holds {a.GetType().GetElementType()!.Name} values, not {typeof(T).Name}.");
    }
}

/// <summary>Maps one batch of rows: read <paramref name="input"/>, fill every array of <paramref name="output"/>.</summary>
public delegate void BatchMapFunction(RowBatch input, OutputBatch output);
