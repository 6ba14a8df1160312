namespace LLMML.Citations.Features;

/// <summary>
/// One feature for every paper: stored (scores that took iterations to find), or derived from the graph when read
/// (counts, shares: a pass over a paper's own edges). A derived column gives the same doubles as the array the feature
/// computer used to fill, and costs nothing at rest: at OpenAlex scale with 26 fields the 60 derived columns of
/// "all features" would otherwise hold 480 bytes a paper.
/// </summary>
internal abstract class FeatureColumn
{
    /// <summary>The value of one paper.</summary>
    public abstract double this[int paper] { get; }

    /// <summary>The values of papers <paramref name="from"/> .. from + into.Length − 1.</summary>
    public virtual void Fill(int from, Span<double> into)
    {
        for (int i = 0; i < into.Length; i++) into[i] = this[from + i];
    }

    /// <summary>All <paramref name="papers"/> values in a new array.</summary>
    public double[] ToArray(int papers)
    {
        var values = new double[papers];
        Fill(0, values);
        return values;
    }

    /// <summary>A stored column.</summary>
    public static FeatureColumn Stored(double[] values) => new StoredColumn(values);

    /// <summary>A column computed paper by paper from the graph.</summary>
    public static FeatureColumn Derived(Func<int, double> value) => new DerivedColumn(value);

    private sealed class StoredColumn(double[] values) : FeatureColumn
    {
        public override double this[int paper] => values[paper];

        public override void Fill(int from, Span<double> into) => values.AsSpan(from, into.Length).CopyTo(into);
    }

    private sealed class DerivedColumn(Func<int, double> value) : FeatureColumn
    {
        public override double this[int paper] => value(paper);
    }
}
