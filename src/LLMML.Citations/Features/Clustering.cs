using LLMML.Citations.Graphs;

namespace LLMML.Citations.Features;

/// <summary>
/// Local clustering coefficient for directed graphs (Fagiolo 2007), as networkx's <c>clustering</c> on a DiGraph:
/// c(i) = T(i) / (2 · (d(i)(d(i) − 1) − 2·d↔(i))), where T(i) counts directed triangles through i, d(i) is in- plus
/// out-degree and d↔(i) the number of mutual citations. Parallel over papers.
/// </summary>
public static class Clustering
{
    /// <summary>Clustering coefficient of every paper (0 when it has no triangle).</summary>
    public static double[] Compute(CitationGraph graph, CancellationToken cancellationToken = default)
    {
        int n = graph.NodeCount;
        var result = new double[n];
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, n / 5000));
        int next = -1;
        const int chunk = 256;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, _ =>
        {
            var mark = new int[n]; // how many of (pred, succ) of the current paper each paper is: 0, 1 or 2
            int start;
            while ((start = Interlocked.Add(ref next, chunk) - chunk + 1) < n)
            {
                int end = Math.Min(n, start + chunk);
                for (int i = start; i < end; i++) result[i] = Coefficient(graph, i, mark);
            }
        });
        return result;
    }

    private static double Coefficient(CitationGraph g, int i, int[] mark)
    {
        var preds = g.CitationsOf(i);
        var succs = g.ReferencesOf(i);
        int total = preds.Length + succs.Length;
        if (total < 2) return 0;
        foreach (var v in preds) mark[v]++;
        foreach (var v in succs) mark[v]++;
        long triangles = Count(g, preds, mark) + Count(g, succs, mark);
        int mutual = 0;
        foreach (var v in preds) if (mark[v] == 2) mutual++;
        foreach (var v in preds) mark[v] = 0;
        foreach (var v in succs) mark[v] = 0;
        if (triangles == 0) return 0;
        return triangles / (2.0 * ((double)total * (total - 1) - 2.0 * mutual));
    }

    private static long Count(CitationGraph g, ReadOnlySpan<int> neighbours, int[] mark)
    {
        long t = 0;
        foreach (var j in neighbours)
        {
            foreach (var k in g.CitationsOf(j)) t += mark[k];
            foreach (var k in g.ReferencesOf(j)) t += mark[k];
        }
        return t;
    }
}
