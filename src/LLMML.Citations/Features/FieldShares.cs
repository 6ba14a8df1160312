using LLMML.Citations.Graphs;

namespace LLMML.Citations.Features;

/// <summary>
/// Per-paper shares of citations and references by field. Every share divides by all the paper's citations
/// (or references), so papers of unknown field count in the denominator: same + other ≤ 1, the rest unknown.
/// A paper with nothing to divide by gets NaN.
/// </summary>
public static class FieldShares
{
    /// <summary>Share of incoming citations from the paper's own field and from other known fields (NaN when the paper's field is unknown).</summary>
    public static (double[] Same, double[] Other) SameAndOther(CitationGraph g)
    {
        int n = g.NodeCount;
        var same = new double[n];
        var other = new double[n];
        for (int v = 0; v < n; v++)
        {
            var citers = g.CitationsOf(v);
            int fv = g._fieldArray[v];
            if (citers.Length == 0 || fv < 0) { same[v] = other[v] = double.NaN; continue; }
            int s = 0, o = 0;
            foreach (var u in citers)
            {
                int fu = g._fieldArray[u];
                if (fu == fv) s++;
                else if (fu >= 0) o++;
            }
            same[v] = (double)s / citers.Length;
            other[v] = (double)o / citers.Length;
        }
        return (same, other);
    }

    /// <summary>Share of each paper's references that are in field <paramref name="target"/>.</summary>
    public static double[] ReferenceShare(CitationGraph g, int target)
    {
        var share = new double[g.NodeCount];
        for (int v = 0; v < g.NodeCount; v++)
        {
            var refs = g.ReferencesOf(v);
            if (refs.Length == 0) { share[v] = double.NaN; continue; }
            int c = 0;
            foreach (var u in refs) if (g._fieldArray[u] == target) c++;
            share[v] = (double)c / refs.Length;
        }
        return share;
    }

    /// <summary>For each target field, the share of each paper's references in it, in one pass; indexed [target][paper].</summary>
    public static double[][] ReferenceShares(CitationGraph g, IReadOnlyList<int> targets)
    {
        int n = g.NodeCount;
        var slot = new int[g.FieldNames.Count];
        Array.Fill(slot, -1);
        for (int t = 0; t < targets.Count; t++) slot[targets[t]] = t;
        var shares = new double[targets.Count][];
        for (int t = 0; t < targets.Count; t++) shares[t] = new double[n];
        for (int v = 0; v < n; v++)
        {
            var refs = g.ReferencesOf(v);
            if (refs.Length == 0)
            {
                for (int t = 0; t < targets.Count; t++) shares[t][v] = double.NaN;
                continue;
            }
            foreach (var u in refs)
            {
                int f = g._fieldArray[u];
                if (f >= 0 && slot[f] >= 0) shares[slot[f]][v] += 1;
            }
            double inv = 1.0 / refs.Length;
            for (int t = 0; t < targets.Count; t++) shares[t][v] *= inv;
        }
        return shares;
    }

    /// <summary>For each field f, share of each paper's incoming citations coming from f; indexed [field][paper].</summary>
    public static double[][] CitingShares(CitationGraph g)
    {
        int n = g.NodeCount, fields = g.FieldNames.Count;
        var shares = new double[fields][];
        for (int f = 0; f < fields; f++) shares[f] = new double[n];
        for (int v = 0; v < n; v++)
        {
            var citers = g.CitationsOf(v);
            if (citers.Length == 0)
            {
                for (int f = 0; f < fields; f++) shares[f][v] = double.NaN;
                continue;
            }
            foreach (var u in citers)
                if (g._fieldArray[u] >= 0) shares[g._fieldArray[u]][v] += 1;
            for (int f = 0; f < fields; f++) shares[f][v] /= citers.Length;
        }
        return shares;
    }

    /// <summary>Shares of a paper's annotated incoming citations that are influential / background / methodology / result (NaN without annotated citations).</summary>
    public static (double[] Influential, double[] Background, double[] Methodology, double[] Result) IntentShares(CitationGraph g)
    {
        int n = g.NodeCount;
        var inf = new double[n]; var bg = new double[n]; var me = new double[n]; var re = new double[n];
        for (int v = 0; v < n; v++)
        {
            int annotated = 0, i = 0, b = 0, m = 0, r = 0;
            foreach (var flag in g.CitationFlagsOf(v))
            {
                if ((flag & EdgeFlags.Annotated) == 0) continue;
                annotated++;
                if ((flag & EdgeFlags.Influential) != 0) i++;
                if ((flag & EdgeFlags.Background) != 0) b++;
                if ((flag & EdgeFlags.Methodology) != 0) m++;
                if ((flag & EdgeFlags.Result) != 0) r++;
            }
            if (annotated == 0) { inf[v] = bg[v] = me[v] = re[v] = double.NaN; continue; }
            inf[v] = (double)i / annotated; bg[v] = (double)b / annotated; me[v] = (double)m / annotated; re[v] = (double)r / annotated;
        }
        return (inf, bg, me, re);
    }

    /// <summary>One paper's <see cref="SameAndOther"/> shares, with the same arithmetic.</summary>
    public static (double Same, double Other) SameAndOtherOf(CitationGraph g, int v)
    {
        var citers = g.CitationsOf(v);
        int fv = g._fieldArray[v];
        if (citers.Length == 0 || fv < 0) return (double.NaN, double.NaN);
        int s = 0, o = 0;
        foreach (var u in citers)
        {
            int fu = g._fieldArray[u];
            if (fu == fv) s++;
            else if (fu >= 0) o++;
        }
        return ((double)s / citers.Length, (double)o / citers.Length);
    }

    /// <summary>One paper's share of references in field <paramref name="field"/>, with <see cref="ReferenceShares"/>' arithmetic (NaN without references).</summary>
    public static double ReferenceShareOf(CitationGraph g, int v, int field)
    {
        var refs = g.ReferencesOf(v);
        if (refs.Length == 0) return double.NaN;
        double c = 0;
        foreach (var u in refs) if (g._fieldArray[u] == field) c += 1;
        return c * (1.0 / refs.Length);
    }

    /// <summary>One paper's share of citations from field <paramref name="field"/>, with <see cref="CitingShares"/>' arithmetic (NaN when uncited).</summary>
    public static double CitingShareOf(CitationGraph g, int v, int field)
    {
        var citers = g.CitationsOf(v);
        if (citers.Length == 0) return double.NaN;
        double c = 0;
        foreach (var u in citers) if (g._fieldArray[u] == field) c += 1;
        return c / citers.Length;
    }

    /// <summary>One paper's share of annotated citations carrying <paramref name="intent"/> (NaN without annotated citations).</summary>
    public static double IntentShareOf(CitationGraph g, int v, EdgeFlags intent)
    {
        int annotated = 0, hits = 0;
        foreach (var flag in g.CitationFlagsOf(v))
        {
            if ((flag & EdgeFlags.Annotated) == 0) continue;
            annotated++;
            if ((flag & intent) != 0) hits++;
        }
        return annotated == 0 ? double.NaN : (double)hits / annotated;
    }
}
