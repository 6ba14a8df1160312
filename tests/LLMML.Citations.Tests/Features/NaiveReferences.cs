using LLMML.Citations.Graphs;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Features;

/// <summary>Slow, obviously-correct dense implementations to check the fast ones against.</summary>
internal static class NaiveReferences
{
    /// <summary>PageRank by dense power iteration to a tight fixed point (Google matrix with uniform dangling rows).</summary>
    public static double[] PageRank(CitationGraph g, double alpha = 0.85)
    {
        int n = g.NodeCount;
        var a = TestGraphs.Dense(g);
        var google = new double[n, n];
        for (int u = 0; u < n; u++)
        {
            double outDeg = 0;
            for (int v = 0; v < n; v++) outDeg += a[u, v];
            for (int v = 0; v < n; v++)
                google[u, v] = alpha * (outDeg == 0 ? 1.0 / n : a[u, v] / outDeg) + (1 - alpha) / n;
        }
        var x = Enumerable.Repeat(1.0 / n, n).ToArray();
        for (int it = 0; it < 10_000; it++)
        {
            var y = new double[n];
            for (int u = 0; u < n; u++) for (int v = 0; v < n; v++) y[v] += x[u] * google[u, v];
            double diff = 0;
            for (int v = 0; v < n; v++) diff += Math.Abs(y[v] - x[v]);
            x = y;
            if (diff < 1e-15) break;
        }
        return x;
    }

    /// <summary>
    /// PageRank from its linear-system form, solved by Gauss–Seidel: with P̃ the row-normalised adjacency (dangling rows
    /// zero), x = αP̃ᵀx + c·1 for a scalar c, so x ∝ y where (I − αP̃ᵀ)y = 1 (Del Corso, Gullì and Romani 2005). No
    /// power iteration and no Google matrix: a different route to the same vector, sparse enough for Cora.
    /// </summary>
    public static double[] PageRankByLinearSystem(CitationGraph g, double alpha = 0.85)
    {
        int n = g.NodeCount;
        var y = Enumerable.Repeat(1.0, n).ToArray();
        for (int sweep = 0; sweep < 10_000; sweep++)
        {
            double change = 0;
            for (int v = 0; v < n; v++)
            {
                double sum = 0;
                foreach (var u in g.CitationsOf(v)) sum += y[u] / g.ReferenceCount(u);
                double next = 1 + alpha * sum;
                change = Math.Max(change, Math.Abs(next - y[v]) / next);
                y[v] = next;
            }
            if (change < 1e-15) break;
        }
        double total = y.Sum();
        return [.. y.Select(v => v / total)];
    }

    /// <summary>Betweenness from all-pairs BFS distances and path counts (σ_st(v) = σ_sv·σ_vt on shortest paths).</summary>
    public static double[] Betweenness(CitationGraph g, IEnumerable<int>? sources = null)
    {
        int n = g.NodeCount;
        var dist = new int[n, n];
        var sigma = new double[n, n];
        for (int s = 0; s < n; s++)
        {
            for (int t = 0; t < n; t++) dist[s, t] = -1;
            dist[s, s] = 0; sigma[s, s] = 1;
            var frontier = new List<int> { s };
            while (frontier.Count > 0)
            {
                var next = new List<int>();
                foreach (var v in frontier)
                    foreach (var w in g.ReferencesOf(v))
                    {
                        if (dist[s, w] < 0) { dist[s, w] = dist[s, v] + 1; next.Add(w); }
                        if (dist[s, w] == dist[s, v] + 1) sigma[s, w] += sigma[s, v];
                    }
                frontier = next;
            }
        }
        var bc = new double[n];
        foreach (var s in sources ?? Enumerable.Range(0, n))
            for (int t = 0; t < n; t++)
                for (int v = 0; v < n; v++)
                {
                    if (s == t || v == s || v == t || dist[s, t] <= 0 || dist[s, v] < 0 || dist[v, t] < 0) continue;
                    if (dist[s, v] + dist[v, t] == dist[s, t]) bc[v] += sigma[s, v] * sigma[v, t] / sigma[s, t];
                }
        return bc;
    }

    /// <summary>Fagiolo's directed clustering from the dense matrix: T_i = ((A+Aᵀ)³)_ii.</summary>
    public static double[] Clustering(CitationGraph g)
    {
        int n = g.NodeCount;
        var a = TestGraphs.Dense(g);
        var m = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i, j] = a[i, j] + a[j, i];
        var c = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = 0;
            for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) t += m[i, j] * m[j, k] * m[k, i];
            double dTot = 0, dBi = 0;
            for (int j = 0; j < n; j++) { dTot += m[i, j]; dBi += a[i, j] * a[j, i]; }
            double denominator = 2 * (dTot * (dTot - 1) - 2 * dBi);
            c[i] = t == 0 ? 0 : t / denominator;
        }
        return c;
    }

    /// <summary>Core numbers by repeated peeling: the k-core is what survives deleting papers of degree &lt; k.</summary>
    public static int[] CoreNumbers(CitationGraph g)
    {
        int n = g.NodeCount;
        var core = new int[n];
        for (int k = 1; ; k++)
        {
            var alive = Enumerable.Repeat(true, n).ToArray();
            bool changed = true;
            while (changed)
            {
                changed = false;
                for (int v = 0; v < n; v++)
                {
                    if (!alive[v]) continue;
                    int d = 0;
                    foreach (var u in g.ReferencesOf(v)) if (alive[u]) d++;
                    foreach (var u in g.CitationsOf(v)) if (alive[u]) d++;
                    if (d < k) { alive[v] = false; changed = true; }
                }
            }
            if (!alive.Any(x => x)) return core;
            for (int v = 0; v < n; v++) if (alive[v]) core[v] = k;
        }
    }
}
