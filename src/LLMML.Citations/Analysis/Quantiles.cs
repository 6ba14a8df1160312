namespace LLMML.Citations.Analysis;

/// <summary>Order statistics with linear interpolation between closest ranks (NumPy's default, Hyndman–Fan type 7).</summary>
public static class Quantiles
{
    /// <summary>The q-quantile (q in [0, 1]) of values already sorted ascending; NaN when empty.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double q)
    {
        if (q is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(q), $"Quantile must be in [0, 1], was {q}.");
        if (sorted.Count == 0) return double.NaN;
        double h = (sorted.Count - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
