namespace LLMML.Citations.Synthetic;

/// <summary>
/// Draws a paper with probability proportional to its fitness among papers published up to a year, either from
/// one track or from all: cumulative weights over year-sorted papers, so "up to year y" is a prefix and a draw
/// is two binary searches.
/// </summary>
internal sealed class YearTrackSampler
{
    private readonly int[] _years;
    private readonly double[] _cumulative;            // over all papers, year order
    private readonly int[][] _trackMembers;           // per track: paper indices, year order
    private readonly int[][] _trackYears;
    private readonly double[][] _trackCumulative;

    public YearTrackSampler(int[] sortedYears, int[] tracks, double[] fitness, int trackCount)
    {
        _years = sortedYears;
        _cumulative = Cumulative(fitness);
        var members = Enumerable.Range(0, trackCount).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < tracks.Length; i++) members[tracks[i]].Add(i);
        _trackMembers = members.Select(m => m.ToArray()).ToArray();
        _trackYears = _trackMembers.Select(m => m.Select(i => sortedYears[i]).ToArray()).ToArray();
        _trackCumulative = _trackMembers.Select(m => Cumulative(m.Select(i => fitness[i]).ToArray())).ToArray();
    }

    /// <summary>A paper index, or -1 when none was published in time.</summary>
    public int Sample(Random rng, int year, bool inclusive, int track, double homophily)
    {
        if (rng.NextDouble() < homophily)
        {
            int end = Bound(_trackYears[track], year, inclusive);
            if (end > 0) return _trackMembers[track][Draw(rng, _trackCumulative[track], end)];
        }
        int all = Bound(_years, year, inclusive);
        return all == 0 ? -1 : Draw(rng, _cumulative, all);
    }

    private static int Bound(int[] years, int year, bool inclusive) =>
        AclLikeGraphGenerator.LowerBound(years, inclusive ? year + 1 : year);

    private static int Draw(Random rng, double[] cumulative, int end)
    {
        double u = rng.NextDouble() * cumulative[end - 1];
        int lo = 0, hi = end - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] <= u) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static double[] Cumulative(double[] w)
    {
        var c = new double[w.Length];
        double s = 0;
        for (int i = 0; i < w.Length; i++) c[i] = s += w[i];
        return c;
    }
}
