namespace LLMML.Rasp.Language;

/// <summary>Applies a function to each element: out[i] = f(x[i]). None stays None.</summary>
public sealed class MapSOp(Func<RaspValue, RaspValue> f, SOp inner, string description = "f") : SOp
{
    public Func<RaspValue, RaspValue> Function { get; } = f;
    public SOp Inner { get; } = inner;
    /// <summary>A human-readable description of the function (for error messages).</summary>
    public string Description { get; } = description;
    public override string Kind => "map";
    public override IReadOnlyList<RaspExpr> Children => [Inner];
}

/// <summary>Combines two SOps element-wise: out[i] = f(a[i], b[i]). None in either gives None.</summary>
public sealed class SequenceMapSOp(Func<RaspValue, RaspValue, RaspValue> f, SOp left, SOp right, string description = "f") : SOp
{
    public Func<RaspValue, RaspValue, RaspValue> Function { get; } = f;
    public SOp Left { get; } = left;
    public SOp Right { get; } = right;
    public string Description { get; } = description;
    public override string Kind => "sequence_map";
    public override IReadOnlyList<RaspExpr> Children => [Left, Right];
}

/// <summary>out[i] = leftCoefficient·a[i] + rightCoefficient·b[i]; compiles exactly for numerical SOps.</summary>
public sealed class LinearSequenceMapSOp(SOp left, SOp right, double leftCoefficient, double rightCoefficient) : SOp
{
    public SOp Left { get; } = left;
    public SOp Right { get; } = right;
    public double LeftCoefficient { get; } = leftCoefficient;
    public double RightCoefficient { get; } = rightCoefficient;
    public override string Kind => "linear_sequence_map";
    public override IReadOnlyList<RaspExpr> Children => [Left, Right];
    internal RaspValue Apply(RaspValue a, RaspValue b) => LeftCoefficient * a.Number + RightCoefficient * b.Number;
}
