namespace LLMML.Rasp.Language;

/// <summary>An attention pattern: for each query position, the set of key positions it selects.</summary>
public abstract class Selector : RaspExpr
{
    /// <summary>Gives this selector a name and returns it.</summary>
    public Selector Named(string name) { SetName(name); return this; }

    public static Selector operator &(Selector a, Selector b) => new SelectorAnd(a, b);
    public static Selector operator |(Selector a, Selector b) => new SelectorOr(a, b);
    public static Selector operator !(Selector a) => new SelectorNot(a);
}

/// <summary>Selects key j for query i when predicate(keys[j], queries[i]) holds.</summary>
public sealed class SelectSelector(SOp keys, SOp queries, Predicate predicate) : Selector
{
    public SOp Keys { get; } = keys;
    public SOp Queries { get; } = queries;
    public Predicate Predicate { get; } = predicate;
    public override string Kind => "select";
    public override IReadOnlyList<RaspExpr> Children => [Keys, Queries];
}

/// <summary>Both selectors select the pair.</summary>
public sealed class SelectorAnd(Selector left, Selector right) : Selector
{
    public Selector Left { get; } = left;
    public Selector Right { get; } = right;
    public override string Kind => "selector_and";
    public override IReadOnlyList<RaspExpr> Children => [Left, Right];
}

/// <summary>Either selector selects the pair.</summary>
public sealed class SelectorOr(Selector left, Selector right) : Selector
{
    public Selector Left { get; } = left;
    public Selector Right { get; } = right;
    public override string Kind => "selector_or";
    public override IReadOnlyList<RaspExpr> Children => [Left, Right];
}

/// <summary>The complement of a selector.</summary>
public sealed class SelectorNot(Selector inner) : Selector
{
    public Selector Inner { get; } = inner;
    public override string Kind => "selector_not";
    public override IReadOnlyList<RaspExpr> Children => [Inner];
}

/// <summary>
/// Per query, the mean of the selected values (numerical) or the one selected value (categorical);
/// the default when nothing is selected.
/// </summary>
public sealed class AggregateSOp(Selector selector, SOp inner, RaspValue defaultValue) : SOp
{
    public Selector Selector { get; } = selector;
    public SOp Inner { get; } = inner;
    public RaspValue Default { get; } = defaultValue;
    public override string Kind => "aggregate";
    public override IReadOnlyList<RaspExpr> Children => [Selector, Inner];
}

/// <summary>Per query, the number of selected keys.</summary>
public sealed class SelectorWidthSOp(Selector selector) : SOp
{
    public Selector Selector { get; } = selector;

    /// <summary>A Map the compiler fused into this SelectorWidth's MLP (null: the width itself).</summary>
    internal Func<RaspValue, RaspValue>? OutputMap { get; init; }

    public override string Kind => "selector_width";
    public override IReadOnlyList<RaspExpr> Children => [Selector];
}
