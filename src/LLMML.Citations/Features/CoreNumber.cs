using LLMML.Citations.Graphs;

namespace LLMML.Citations.Features;

/// <summary>
/// k-core number of each paper, as networkx's <c>core_number</c> on a directed graph: degree is in-degree plus
/// out-degree and neighbours are citing and cited papers together (a mutual citation counts twice).
/// Batagelj–Zaversnik bucket algorithm, O(edges).
/// </summary>
public static class CoreNumber
{
    /// <summary>Core number of every paper.</summary>
    public static int[] Compute(CitationGraph graph)
    {
        int n = graph.NodeCount;
        var deg = new int[n];
        int maxDeg = 0;
        for (int v = 0; v < n; v++)
        {
            deg[v] = graph.ReferenceCount(v) + graph.CitationCount(v);
            if (deg[v] > maxDeg) maxDeg = deg[v];
        }
        var bin = new int[maxDeg + 1];
        foreach (var d in deg) bin[d]++;
        for (int d = 0, start = 0; d <= maxDeg; d++)
        {
            int count = bin[d];
            bin[d] = start;
            start += count;
        }
        var pos = new int[n];
        var vert = new int[n];
        for (int v = 0; v < n; v++)
        {
            pos[v] = bin[deg[v]];
            vert[pos[v]] = v;
            bin[deg[v]]++;
        }
        for (int d = maxDeg; d > 0; d--) bin[d] = bin[d - 1];
        if (maxDeg >= 0 && bin.Length > 0) bin[0] = 0;
        for (int i = 0; i < n; i++)
        {
            int v = vert[i];
            Peel(v, graph.ReferencesOf(v), deg, bin, pos, vert);
            Peel(v, graph.CitationsOf(v), deg, bin, pos, vert);
        }
        return deg;
    }

    private static void Peel(int v, ReadOnlySpan<int> neighbours, int[] deg, int[] bin, int[] pos, int[] vert)
    {
        foreach (var u in neighbours)
        {
            if (deg[u] <= deg[v]) continue;
            int du = deg[u], pu = pos[u], pw = bin[du], w = vert[pw];
            if (u != w)
            {
                pos[u] = pw; vert[pu] = w;
                pos[w] = pu; vert[pw] = u;
            }
            bin[du]++;
            deg[u]--;
        }
    }
}
