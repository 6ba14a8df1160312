namespace LLMML.Rasp.Language;

/// <summary>
/// The embedded RASP language: factory methods mirroring tracr's `rasp` module.
/// <code>
/// var length = RaspOps.SelectorWidth(RaspOps.Select(RaspOps.Tokens, RaspOps.Tokens, Comparison.TRUE)).Named("length");
/// </code>
/// </summary>
public static class RaspOps
{
    /// <summary>The input tokens (one shared instance: every program reads the same input).</summary>
    public static TokensSOp Tokens { get; } = new();

    /// <summary>The input positions (one shared instance).</summary>
    public static IndicesSOp Indices { get; } = new();

    public static SOp Map(Func<RaspValue, RaspValue> f, SOp sop, string description = "f") => new MapSOp(f, sop, description);

    public static SOp SequenceMap(Func<RaspValue, RaspValue, RaspValue> f, SOp a, SOp b, string description = "f") =>
        new SequenceMapSOp(f, a, b, description);

    public static SOp LinearSequenceMap(SOp a, SOp b, double ca, double cb) => new LinearSequenceMapSOp(a, b, ca, cb);

    public static SOp Full(RaspValue value) => new FullSOp(value);

    public static Selector Select(SOp keys, SOp queries, Predicate predicate) => new SelectSelector(keys, queries, predicate);

    public static Selector Select(SOp keys, SOp queries, Func<RaspValue, RaspValue, bool> predicate, string name = "custom") =>
        new SelectSelector(keys, queries, Predicate.Custom(predicate, name));

    public static SOp Aggregate(Selector selector, SOp sop, RaspValue defaultValue = default) => new AggregateSOp(selector, sop, defaultValue);

    public static SOp SelectorWidth(Selector selector) => new SelectorWidthSOp(selector);

    public static Selector And(Selector a, Selector b) => new SelectorAnd(a, b);
    public static Selector Or(Selector a, Selector b) => new SelectorOr(a, b);
    public static Selector Not(Selector a) => new SelectorNot(a);

    /// <summary>Annotates the SOp numerical.</summary>
    public static SOp Numerical(SOp sop) => sop.AsNumerical();

    /// <summary>Annotates the SOp categorical.</summary>
    public static SOp Categorical(SOp sop) => sop.AsCategorical();
}
