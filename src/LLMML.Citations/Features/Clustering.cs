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
        // Skeleton degrees only: the forward lists are merged straight from the two CSRs, so the skeleton's own
        // neighbour list (two ints and two bytes a citation) is never built.
        var offsets = new int[n + 1];
        for (int u = 0; u < n; u++) offsets[u + 1] = offsets[u] + MergeCount(graph.ReferencesOf(u), graph.CitationsOf(u));
        // Rank by (skeleton degree, index); keep only edges towards higher rank.
        var forwardOffsets = new int[n + 1];
        for (int u = 0; u < n; u++)
        {
            int count = 0;
            foreach (var (v, _) in new SkeletonRow(graph.ReferencesOf(u), graph.CitationsOf(u))) if (Before(offsets, u, v)) count++;
            forwardOffsets[u + 1] = forwardOffsets[u] + count;
        }
        var forward = new int[forwardOffsets[n]];
        var forwardWeights = new byte[forwardOffsets[n]];
        for (int u = 0; u < n; u++)
        {
            int slot = forwardOffsets[u];
            foreach (var (v, w) in new SkeletonRow(graph.ReferencesOf(u), graph.CitationsOf(u)))
                if (Before(offsets, u, v)) { forward[slot] = v; forwardWeights[slot] = w; slot++; }
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
            int mutual = total - (offsets[i + 1] - offsets[i]); // each mutual pair is one skeleton edge for two citations
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

    /// <summary>
    /// One paper's row of the undirected skeleton, merged from its sorted references and citations: each neighbour once,
    /// in increasing order, with w = 1, or 2 when the citation is mutual.
    /// </summary>
    private ref struct SkeletonRow(ReadOnlySpan<int> references, ReadOnlySpan<int> citations)
    {
        private readonly ReadOnlySpan<int> _a = references, _b = citations;
        private int _i, _j;

        public (int Neighbour, byte Weight) Current { get; private set; }

        public readonly SkeletonRow GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_i == _a.Length && _j == _b.Length) return false;
            if (_j == _b.Length || (_i < _a.Length && _a[_i] < _b[_j])) Current = (_a[_i++], 1);
            else if (_i == _a.Length || _b[_j] < _a[_i]) Current = (_b[_j++], 1);
            else { Current = (_a[_i], 2); _i++; _j++; }
            return true;
        }
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
