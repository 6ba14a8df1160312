using LLMML.Citations.Graphs;

namespace LLMML.Citations.Tests.Support;

/// <summary>Small graphs for tests; node i has id i.ToString().</summary>
internal static class TestGraphs
{
    /// <summary>A graph from (citing, cited) pairs over nodes 0..n-1.</summary>
    public static CitationGraph FromEdges(int n, IEnumerable<(int Citing, int Cited)> edges, int[]? fields = null, int[]? years = null, string[]? fieldNames = null)
    {
        var b = new CitationGraphBuilder();
        if (fieldNames is not null) b.DeclareFields(fieldNames);
        for (int i = 0; i < n; i++)
        {
            int p = b.Paper(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (fields is not null && fields[i] >= 0) b.SetField(p, fieldNames![fields[i]]);
            if (years is not null) b.SetYear(p, years[i]);
        }
        foreach (var (u, v) in edges) b.AddCitation(u, v);
        return b.Build();
    }

    /// <summary>The 10-node graph whose networkx 2.8.8 values are pasted in the tests (9 isolated, 8 dangling).</summary>
    public static readonly (int, int)[] NamedEdges =
        [(0, 1), (0, 2), (1, 2), (2, 0), (3, 2), (3, 4), (4, 2), (5, 4), (5, 6), (6, 5), (6, 7), (1, 7), (7, 8)];

    public static CitationGraph Named() => FromEdges(10, NamedEdges);

    /// <summary>A seeded random directed graph without self-loops.</summary>
    public static CitationGraph Random(int n, double p, int seed)
    {
        var rng = new Random(seed);
        var edges = new List<(int, int)>();
        for (int u = 0; u < n; u++)
            for (int v = 0; v < n; v++)
                if (u != v && rng.NextDouble() < p) edges.Add((u, v));
        return FromEdges(n, edges);
    }

    /// <summary>Dense adjacency A[u, v] = 1 when u cites v.</summary>
    public static double[,] Dense(CitationGraph g)
    {
        var a = new double[g.NodeCount, g.NodeCount];
        for (int u = 0; u < g.NodeCount; u++) foreach (var v in g.ReferencesOf(u)) a[u, v] = 1;
        return a;
    }
}
