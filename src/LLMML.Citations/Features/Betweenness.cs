using LLMML.Citations.Graphs;
using LLMML.Foundation.Progress;

namespace LLMML.Citations.Features;

/// <summary>Betweenness settings.</summary>
public sealed class BetweennessOptions
{
    /// <summary>Number of sampled source papers; null (or ≥ the paper count) computes exact betweenness from every source.</summary>
    public int? Samples { get; set; }

    /// <summary>Seed choosing the sampled sources.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Normalise like networkx (divide by (n−1)(n−2), and scale sampled sums by n/k).</summary>
    public bool Normalized { get; set; } = true;

    /// <summary>Worker threads (default: all cores).</summary>
    public int? MaxDegreeOfParallelism { get; set; }
}

/// <summary>
/// Shortest-path betweenness over directed citing → cited paths (Brandes 2001, unweighted BFS), from every
/// source or from k seeded sampled sources, parallel over sources. The scaling is networkx's
/// <c>betweenness_centrality</c> for directed graphs without endpoints: normalised values are divided by
/// (n−1)(n−2) and, when sampled, multiplied by n/k; unnormalised directed values are left as sums (networkx
/// does not extrapolate those either). networkx draws its k sources with Python's <c>random</c>, so sampled
/// values agree with it in distribution, not source for source.
/// </summary>
public static class Betweenness
{
    /// <summary>Betweenness of every paper.</summary>
    public static double[] Compute(CitationGraph graph, BetweennessOptions? options = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new BetweennessOptions();
        int n = graph.NodeCount;
        var sources = ChooseSources(n, options.Samples, options.Seed);
        int workers = Math.Max(1, Math.Min(options.MaxDegreeOfParallelism ?? Environment.ProcessorCount, sources.Length));
        var partial = new double[workers][];
        int nextSource = -1, done = 0;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, w =>
        {
            var state = new BrandesState(n);
            var bc = partial[w] = new double[n];
            int i;
            while ((i = Interlocked.Increment(ref nextSource)) < sources.Length)
            {
                if ((i & 15) == 0) cancellationToken.ThrowIfCancellationRequested();
                state.Accumulate(graph, sources[i], bc);
                int finished = Interlocked.Increment(ref done);
                if (progress is not null && (finished & 63) == 0) progress.Report(new ProgressUpdate("betweenness", finished, sources.Length));
            }
        });
        var result = partial[0];
        for (int w = 1; w < workers; w++)
            for (int v = 0; v < n; v++) result[v] += partial[w][v];
        double? scale = options.Normalized && n > 2 ? 1.0 / ((double)(n - 1) * (n - 2)) : null;
        if (scale is { } s)
        {
            if (sources.Length < n) s *= (double)n / sources.Length;
            for (int v = 0; v < n; v++) result[v] *= s;
        }
        return result;
    }

    /// <summary>The sources used: all papers, or a seeded sample of k distinct papers (partial Fisher–Yates).</summary>
    public static int[] ChooseSources(int n, int? samples, int seed)
    {
        var all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        if (samples is not { } k || k >= n) return all;
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(samples), $"Samples must be positive, was {k}.");
        var rng = new Random(seed);
        for (int i = 0; i < k; i++)
        {
            int j = rng.Next(i, n);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all[..k];
    }

    /// <summary>Per-thread BFS buffers, reset only where the last search reached.</summary>
    private sealed class BrandesState
    {
        private readonly double[] _sigma, _delta;
        private readonly int[] _dist, _order;

        public BrandesState(int n)
        {
            _sigma = new double[n];
            _delta = new double[n];
            _dist = new int[n];
            _order = new int[n];
            Array.Fill(_dist, -1);
        }

        public void Accumulate(CitationGraph g, int s, double[] bc)
        {
            var refOffsets = g._refOffsets; var targets = g._refTargets;
            var citOffsets = g._citOffsets; var citers = g._citSources;
            int head = 0, tail = 0;
            _order[tail++] = s;
            _dist[s] = 0;
            _sigma[s] = 1;
            // BFS: _order doubles as the queue and, read backwards, as the stack of non-increasing distance.
            while (head < tail)
            {
                int v = _order[head++];
                int dv = _dist[v] + 1;
                double sv = _sigma[v];
                for (int e = refOffsets[v]; e < refOffsets[v + 1]; e++)
                {
                    int w = targets[e];
                    if (_dist[w] < 0) { _dist[w] = dv; _order[tail++] = w; }
                    if (_dist[w] == dv) _sigma[w] += sv;
                }
            }
            // Dependencies: predecessors of w are its citers one step closer to s.
            for (int i = tail - 1; i > 0; i--)
            {
                int w = _order[i];
                int dPred = _dist[w] - 1;
                double coeff = (1 + _delta[w]) / _sigma[w];
                for (int e = citOffsets[w]; e < citOffsets[w + 1]; e++)
                {
                    int v = citers[e];
                    if (_dist[v] == dPred) _delta[v] += _sigma[v] * coeff;
                }
                bc[w] += _delta[w];
            }
            for (int i = 0; i < tail; i++)
            {
                int v = _order[i];
                _dist[v] = -1; _sigma[v] = 0; _delta[v] = 0;
            }
        }
    }
}
