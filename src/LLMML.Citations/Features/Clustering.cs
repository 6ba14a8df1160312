using LLMML.Citations.Graphs;

namespace LLMML.Citations.Features;

/// <summary>
/// Local clustering coefficient for directed graphs (Fagiolo 2007), as networkx's <c>clustering</c> on a DiGraph:
/// c(i) = T(i) / (2 · (d(i)(d(i) − 1) − 2·d↔(i))), where T(i) = ((A+Aᵀ)³)ᵢᵢ counts directed triangles through i,
/// d(i) is in- plus out-degree and d↔(i) the number of mutual citations.
/// </summary>
/// <remarks>
/// With w(x, y) = A[x,y] + A[y,x] ∈ {1, 2} on the undirected skeleton, T(i) = 2 Σ over skeleton triangles {i, j, k} of
/// w(i,j)·w(j,k)·w(k,i). Each triangle is found once by the degree-ordered "forward" algorithm (edges point from lower to
/// higher (degree, index) rank, so out-lists stay short) and credited to its three corners; parallel over papers with
/// per-thread tallies.
/// </remarks>
public static class Clustering
{
    /// <summary>Clustering coefficient of every paper (0 when it has no triangle).</summary>
    public static double[] Compute(CitationGraph graph, CancellationToken cancellationToken = default)
    {
        int n = graph.NodeCount;
        var (offsets, neighbours, weights) = Skeleton(graph);
        // Rank by (skeleton degree, index); keep only edges towards higher rank.
        var forwardOffsets = new int[n + 1];
        for (int u = 0; u < n; u++)
        {
            int count = 0;
            for (int e = offsets[u]; e < offsets[u + 1]; e++) if (Before(offsets, u, neighbours[e])) count++;
            forwardOffsets[u + 1] = forwardOffsets[u] + count;
        }
        var forward = new int[forwardOffsets[n]];
        var forwardWeights = new byte[forwardOffsets[n]];
        for (int u = 0; u < n; u++)
        {
            int slot = forwardOffsets[u];
            for (int e = offsets[u]; e < offsets[u + 1]; e++)
                if (Before(offsets, u, neighbours[e])) { forward[slot] = neighbours[e]; forwardWeights[slot] = weights[e]; slot++; }
        }

        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, n / 5000));
        var tallies = new long[workers][];
        int next = -1;
        const int chunk = 512;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, w =>
        {
            var t = tallies[w] = new long[n];
            var mark = new byte[n]; // weight of u–x for x in forward(u), 0 otherwise
            int start;
            while ((start = Interlocked.Add(ref next, chunk) - chunk + 1) < n)
            {
                int end = Math.Min(n, start + chunk);
                for (int u = start; u < end; u++)
                {
                    int from = forwardOffsets[u], to = forwardOffsets[u + 1];
                    if (to - from < 2) continue;
                    for (int e = from; e < to; e++) mark[forward[e]] = forwardWeights[e];
                    for (int e = from; e < to; e++)
                    {
                        int v = forward[e];
                        int wuv = forwardWeights[e];
                        for (int f = forwardOffsets[v]; f < forwardOffsets[v + 1]; f++)
                        {
                            int x = forward[f];
                            if (mark[x] == 0) continue;
                            long product = 2L * wuv * forwardWeights[f] * mark[x];
                            t[u] += product; t[v] += product; t[x] += product;
                        }
                    }
                    for (int e = from; e < to; e++) mark[forward[e]] = 0;
                }
            }
        });

        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            long triangles = 0;
            foreach (var t in tallies) triangles += t[i];
            if (triangles == 0) continue;
            int total = graph.ReferenceCount(i) + graph.CitationCount(i);
            int mutual = 0;
            for (int e = offsets[i]; e < offsets[i + 1]; e++) if (weights[e] == 2) mutual++;
            result[i] = triangles / (2.0 * ((double)total * (total - 1) - 2.0 * mutual));
        }
        return result;
    }

    // Lower (skeleton degree, index) first: the orientation that keeps every forward list at most √(2m) long.
    private static bool Before(int[] offsets, int u, int v)
    {
        int du = offsets[u + 1] - offsets[u], dv = offsets[v + 1] - offsets[v];
        return du < dv || (du == dv && u < v);
    }

    /// <summary>The undirected skeleton: sorted neighbours of each paper (cited or citing) with w = 1, or 2 when mutual.</summary>
    private static (int[] Offsets, int[] Neighbours, byte[] Weights) Skeleton(CitationGraph g)
    {
        int n = g.NodeCount;
        var offsets = new int[n + 1];
        for (int u = 0; u < n; u++) offsets[u + 1] = offsets[u] + MergeCount(g.ReferencesOf(u), g.CitationsOf(u));
        var neighbours = new int[offsets[n]];
        var weights = new byte[offsets[n]];
        for (int u = 0; u < n; u++)
        {
            var a = g.ReferencesOf(u);
            var b = g.CitationsOf(u);
            int i = 0, j = 0, slot = offsets[u];
            while (i < a.Length || j < b.Length)
            {
                if (j == b.Length || (i < a.Length && a[i] < b[j])) { neighbours[slot] = a[i++]; weights[slot++] = 1; }
                else if (i == a.Length || b[j] < a[i]) { neighbours[slot] = b[j++]; weights[slot++] = 1; }
                else { neighbours[slot] = a[i]; weights[slot++] = 2; i++; j++; }
            }
        }
        return (offsets, neighbours, weights);
    }

    private static int MergeCount(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int i = 0, j = 0, count = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] < b[j]) i++;
            else if (b[j] < a[i]) j++;
            else { i++; j++; }
            count++;
        }
        return count + (a.Length - i) + (b.Length - j);
    }
}
