namespace LLMML.Rasp.Language;

/// <summary>
/// A sequence operation: maps an input sequence to a sequence of values of the same length.
/// Operators build Maps (SOp with a value) and SequenceMaps (SOp with SOp), as in tracr.
/// </summary>
public abstract class SOp : RaspExpr
{
    /// <summary>Residual-stream encoding; categorical unless annotated.</summary>
    public RaspEncoding Encoding { get; internal set; } = RaspEncoding.Categorical;

    /// <summary>
    /// tokens and indices: one instance read by every program in the process, so naming or
    /// annotating them would change every other program; they refuse both.
    /// </summary>
    private protected virtual bool IsSharedPrimitive => false;

    /// <summary>Gives this SOp a name (its label in the residual stream) and returns it.</summary>
    /// <exception cref="InvalidOperationException">On tokens or indices (shared by every program).</exception>
    public SOp Named(string name)
    {
        if (IsSharedPrimitive && name != Label)
            throw new InvalidOperationException($"'{Label}' is shared by every program and cannot be renamed to '{name}'; use it under its own name, or name a Map of it");
        SetName(name);
        return this;
    }

    /// <summary>Annotates this SOp as numerical (one scalar dimension) and returns it.</summary>
    /// <exception cref="InvalidOperationException">On tokens or indices, which are always categorical.</exception>
    public SOp AsNumerical()
    {
        if (IsSharedPrimitive)
            throw new InvalidOperationException($"'{Label}' is shared by every program and always categorical; annotate a copy instead: numerical(map(lambda x: x, {Label}))");
        Encoding = RaspEncoding.Numerical;
        return this;
    }

    /// <summary>Annotates this SOp as categorical (one-hot) and returns it (tokens and indices already are).</summary>
    public SOp AsCategorical()
    {
        if (!IsSharedPrimitive) Encoding = RaspEncoding.Categorical;
        return this;
    }

    /// <summary>Reference identity: `==` on SOps builds a program, it does not compare.</summary>
    public sealed override bool Equals(object? obj) => ReferenceEquals(this, obj);
    public sealed override int GetHashCode() => Id;

    public static SOp operator +(SOp a, SOp b) => new SequenceMapSOp((x, y) => x + y, a, b, "add");
    public static SOp operator -(SOp a, SOp b) => new SequenceMapSOp((x, y) => x - y, a, b, "sub");
    public static SOp operator *(SOp a, SOp b) => new SequenceMapSOp((x, y) => x * y, a, b, "mul");
    public static SOp operator /(SOp a, SOp b) => new SequenceMapSOp((x, y) => x / y, a, b, "div");
    public static SOp operator &(SOp a, SOp b) => new SequenceMapSOp((x, y) => x & y, a, b, "and");
    public static SOp operator |(SOp a, SOp b) => new SequenceMapSOp((x, y) => x | y, a, b, "or");
    public static SOp operator ==(SOp a, SOp b) => new SequenceMapSOp((x, y) => x == y, a, b, "eq");
    public static SOp operator !=(SOp a, SOp b) => new SequenceMapSOp((x, y) => x != y, a, b, "ne");
    public static SOp operator <(SOp a, SOp b) => new SequenceMapSOp((x, y) => x < y, a, b, "lt");
    public static SOp operator >(SOp a, SOp b) => new SequenceMapSOp((x, y) => x > y, a, b, "gt");
    public static SOp operator <=(SOp a, SOp b) => new SequenceMapSOp((x, y) => x <= y, a, b, "le");
    public static SOp operator >=(SOp a, SOp b) => new SequenceMapSOp((x, y) => x >= y, a, b, "ge");

    public static SOp operator +(SOp a, RaspValue c) => new MapSOp(x => x + c, a, $"add {c}");
    public static SOp operator +(RaspValue c, SOp a) => new MapSOp(x => c + x, a, $"{c} add");
    public static SOp operator -(SOp a, RaspValue c) => new MapSOp(x => x - c, a, $"sub {c}");
    public static SOp operator -(RaspValue c, SOp a) => new MapSOp(x => c - x, a, $"{c} sub");
    public static SOp operator *(SOp a, RaspValue c) => new MapSOp(x => x * c, a, $"mul {c}");
    public static SOp operator *(RaspValue c, SOp a) => new MapSOp(x => c * x, a, $"{c} mul");
    public static SOp operator /(SOp a, RaspValue c) => new MapSOp(x => x / c, a, $"div {c}");
    public static SOp operator ==(SOp a, RaspValue c) => new MapSOp(x => x == c, a, $"eq {c}");
    public static SOp operator !=(SOp a, RaspValue c) => new MapSOp(x => x != c, a, $"ne {c}");
    public static SOp operator <(SOp a, RaspValue c) => new MapSOp(x => x < c, a, $"lt {c}");
    public static SOp operator >(SOp a, RaspValue c) => new MapSOp(x => x > c, a, $"gt {c}");
    public static SOp operator <=(SOp a, RaspValue c) => new MapSOp(x => x <= c, a, $"le {c}");
    public static SOp operator >=(SOp a, RaspValue c) => new MapSOp(x => x >= c, a, $"ge {c}");
    public static SOp operator -(SOp a) => new MapSOp(x => -x, a, "neg");
    public static SOp operator ~(SOp a) => new MapSOp(x => !x, a, "not");
}

/// <summary>The input tokens.</summary>
public sealed class TokensSOp : SOp
{
    internal TokensSOp() => SetName("tokens");
    public override string Kind => "tokens";
    public override IReadOnlyList<RaspExpr> Children => [];
    private protected override bool IsSharedPrimitive => true;
}

/// <summary>The positions 0..n−1 of the input.</summary>
public sealed class IndicesSOp : SOp
{
    internal IndicesSOp() => SetName("indices");
    public override string Kind => "indices";
    public override IReadOnlyList<RaspExpr> Children => [];
    private protected override bool IsSharedPrimitive => true;
}

/// <summary>The same value at every position.</summary>
public sealed class FullSOp(RaspValue value) : SOp
{
    public RaspValue Value { get; } = value;
    public override string Kind => "full";
    public override IReadOnlyList<RaspExpr> Children => [];
}
