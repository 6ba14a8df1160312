namespace LLMML.Rasp.Language;

/// <summary>
/// A node of a RASP program: an SOp (a sequence of values) or a Selector (an attention pattern).
/// Expressions are compared by reference; a program is the graph reachable from its output.
/// </summary>
public abstract class RaspExpr
{
    private static int s_nextId;
    private string? _name;

    protected RaspExpr() => Id = Interlocked.Increment(ref s_nextId);

    /// <summary>A process-wide unique number, used for default labels.</summary>
    public int Id { get; }

    /// <summary>The user-given name, or a default "kind_id" label.</summary>
    public string Label => _name ?? $"{Kind}_{Id}";

    /// <summary>True when the expression was given a name.</summary>
    public bool HasName => _name is not null;

    /// <summary>Short lower-case kind name ("map", "select", …).</summary>
    public abstract string Kind { get; }

    /// <summary>The expressions this one reads.</summary>
    public abstract IReadOnlyList<RaspExpr> Children { get; }

    internal void SetName(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A RASP name must not be empty.", nameof(name));
        _name = name;
    }

    public override string ToString() => $"{Kind} '{Label}'";

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);
    public override int GetHashCode() => Id;
}
