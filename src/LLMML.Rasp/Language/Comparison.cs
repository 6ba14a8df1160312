namespace LLMML.Rasp.Language;

/// <summary>The built-in predicates of Select, called as predicate(key, query).</summary>
public enum Comparison
{
    /// <summary>key == query</summary>
    EQ,
    /// <summary>key &lt; query</summary>
    LT,
    /// <summary>key &lt;= query</summary>
    LEQ,
    /// <summary>key &gt; query</summary>
    GT,
    /// <summary>key &gt;= query</summary>
    GEQ,
    /// <summary>key != query</summary>
    NEQ,
    /// <summary>always selected</summary>
    TRUE,
    /// <summary>never selected</summary>
    FALSE,
}

/// <summary>A Select predicate: a built-in comparison or a custom function of (key, query).</summary>
public sealed class Predicate
{
    private readonly Func<RaspValue, RaspValue, bool> _f;

    private Predicate(string name, Comparison? comparison, Func<RaspValue, RaspValue, bool> f)
    {
        Name = name;
        Comparison = comparison;
        _f = f;
    }

    /// <summary>"EQ", "LT", … or the name given to a custom predicate.</summary>
    public string Name { get; }

    /// <summary>The built-in comparison, or null for a custom predicate.</summary>
    public Comparison? Comparison { get; }

    /// <summary>Whether a key is selected by a query.</summary>
    public bool Holds(RaspValue key, RaspValue query) => _f(key, query);

    public static Predicate From(Comparison c) => new(c.ToString(), c, c switch
    {
        Language.Comparison.EQ => (k, q) => k == q,
        Language.Comparison.LT => (k, q) => k < q,
        Language.Comparison.LEQ => (k, q) => k <= q,
        Language.Comparison.GT => (k, q) => k > q,
        Language.Comparison.GEQ => (k, q) => k >= q,
        Language.Comparison.NEQ => (k, q) => k != q,
        Language.Comparison.TRUE => (_, _) => true,
        Language.Comparison.FALSE => (_, _) => false,
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    });

    public static Predicate Custom(Func<RaspValue, RaspValue, bool> f, string name = "custom") => new(name, null, f);

    public static implicit operator Predicate(Comparison c) => From(c);

    public override string ToString() => Name;
}
