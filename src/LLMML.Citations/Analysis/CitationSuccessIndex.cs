namespace LLMML.Citations.Analysis;

/// <summary>
/// Citation Success Index (Milojević et al. 2017): CSI(A, B) = P(a random paper of A has more citations than a
/// random paper of B), ties counting one half. Computed exactly by sorting, O((|A| + |B|) log).
/// </summary>
public static class CitationSuccessIndex
{
    /// <summary>CSI of group <paramref name="a"/> against group <paramref name="b"/>; NaN when either is empty.</summary>
    public static double Compute(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count == 0 || b.Count == 0) return double.NaN;
        var sb = b.Order().ToArray();
        double wins = 0;
        foreach (var x in a)
        {
            int below = LowerBound(sb, x);          // b < x
            int notAbove = UpperBound(sb, x);       // b ≤ x
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double)a.Count * b.Count);
    }

    private static int LowerBound(double[] s, double x)
    {
        int lo = 0, hi = s.Length;
        while (lo < hi) { int m = (lo + hi) >>> 1; if (s[m] < x) lo = m + 1; else hi = m; }
        return lo;
    }

    private static int UpperBound(double[] s, double x)
    {
        int lo = 0, hi = s.Length;
        while (lo < hi) { int m = (lo + hi) >>> 1; if (s[m] <= x) lo = m + 1; else hi = m; }
        return lo;
    }
}
