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
        long triangles = Count(g, preds, mark, preds, succs) + Count(g, succs, mark, preds, succs);
        int mutual = 0;
        foreach (var v in preds) if (mark[v] == 2) mutual++;
        foreach (var v in preds) mark[v] = 0;
        foreach (var v in succs) mark[v] = 0;
        if (triangles == 0) return 0;
        return triangles / (2.0 * ((double)total * (total - 1) - 2.0 * mutual));
    }

    // Σ over the neighbour multiset j of i of Σ_{k ∈ pred(j) ⊎ succ(j)} mark[k]. Scans whichever of N(j) and N(i) is
    // smaller: a citing paper with 5 references next to a seed with 500 citations costs 5 binary searches, not 500 reads.
    private static long Count(CitationGraph g, ReadOnlySpan<int> neighbours, int[] mark, ReadOnlySpan<int> preds, ReadOnlySpan<int> succs)
    {
        long t = 0;
        int degreeI = preds.Length + succs.Length;
        foreach (var j in neighbours)
        {
            var jPreds = g.CitationsOf(j);
            var jSuccs = g.ReferencesOf(j);
            if (jPreds.Length + jSuccs.Length <= degreeI)
            {
                foreach (var k in jPreds) t += mark[k];
                foreach (var k in jSuccs) t += mark[k];
                continue;
            }
            foreach (var k in preds) t += mark[k] * Links(jPreds, jSuccs, k);
            foreach (var k in succs)
                if (mark[k] == 1) t += Links(jPreds, jSuccs, k); // mark 2: already counted among preds
        }
        return t;
    }

    private static int Links(ReadOnlySpan<int> jPreds, ReadOnlySpan<int> jSuccs, int k) =>
        (jPreds.BinarySearch(k) >= 0 ? 1 : 0) + (jSuccs.BinarySearch(k) >= 0 ? 1 : 0);
}
