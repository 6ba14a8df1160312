using LLMML.Citations.Graphs;

namespace LLMML.Citations.Features;

/// <summary>
/// Features of a paper that is not in the graph, from its references alone: the values it would get if it were
/// appended as a paper nobody cites yet, holding every other paper's scores fixed. So citations, authority,
/// betweenness (an uncited paper lies on no path) and citation shares are 0; PageRank is the floor every uncited
/// paper has; the hub score is its references' authority under the graph's normalisation; the core number is the
/// largest k with k references of core ≥ k; clustering counts the links among its references.
/// </summary>
public static class NewPaperFeatures
{
    /// <summary>
    /// Writes the feature vector of a new paper into <paramref name="into"/> (NaN-free, in <see cref="PaperFeatures.Names"/> order).
    /// </summary>
    /// <param name="features">Features of the fitted graph.</param>
    /// <param name="knownReferences">Graph indices of its references that the graph knows (distinct).</param>
    /// <param name="totalReferences">All its distinct references, known or not.</param>
    /// <param name="into">Destination, one slot per feature.</param>
    public static void Score(PaperFeatures features, IReadOnlyList<int> knownReferences, int totalReferences, Span<float> into)
    {
        var g = features.Graph;
        var ctx = features.Context;
        into.Clear();
        int targetCursor = 0;
        for (int f = 0; f < features.Names.Count; f++)
        {
            var name = features.Names[f];
            into[f] = name switch
            {
                "references" => totalReferences,
                "pagerank" => (float)ctx.PageRankFloor,
                "hits_hub" => (float)Hub(ctx, knownReferences),
                "core_number" => Core(ctx, knownReferences),
                "clustering" => (float)ClusteringOf(g, knownReferences),
                _ when name.StartsWith("reference_share:", StringComparison.Ordinal) =>
                    (float)ReferenceShare(g, knownReferences, totalReferences, ctx.TargetFields[targetCursor++]),
                _ => 0f,
            };
        }
    }

    private static double Hub(NewPaperContext ctx, IReadOnlyList<int> refs)
    {
        if (ctx.Authorities is null || ctx.HubNormaliser <= 0) return 0;
        double s = 0;
        foreach (var r in refs) s += ctx.Authorities[r];
        return s / ctx.HubNormaliser;
    }

    private static int Core(NewPaperContext ctx, IReadOnlyList<int> refs)
    {
        if (ctx.Cores is null || refs.Count == 0) return 0;
        var cores = refs.Select(r => ctx.Cores[r]).OrderDescending().ToArray();
        int k = 0;
        while (k < cores.Length && cores[k] >= k + 1) k++;
        return k;
    }

    // Directed clustering with no citers: T counts, for each reference j, the other references linked to j either way.
    private static double ClusteringOf(CitationGraph g, IReadOnlyList<int> refs)
    {
        int d = refs.Count;
        if (d < 2) return 0;
        var set = new HashSet<int>(refs);
        long t = 0;
        foreach (var j in refs)
        {
            foreach (var k in g.CitationsOf(j)) if (set.Contains(k)) t++;
            foreach (var k in g.ReferencesOf(j)) if (set.Contains(k)) t++;
        }
        return t == 0 ? 0 : t / (2.0 * d * (d - 1));
    }

    private static double ReferenceShare(CitationGraph g, IReadOnlyList<int> refs, int total, int field)
    {
        if (total == 0) return 0;
        int c = 0;
        foreach (var r in refs) if (g._fieldArray[r] == field) c++;
        return (double)c / total;
    }
}
