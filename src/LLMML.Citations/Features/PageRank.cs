using LLMML.Citations.Graphs;

namespace LLMML.Citations.Features;

/// <summary>When PageRank's power iteration stops.</summary>
public enum PageRankStopping
{
    /// <summary>
    /// Stop once the iterate is provably within <see cref="PageRankOptions.Tolerance"/> of the exact PageRank vector in L1:
    /// each iteration shrinks the L1 distance to the fixed point by at least α, so after a step of L1 size δ the
    /// remaining error is at most δ·α/(1−α).
    /// </summary>
    ErrorBound,

    /// <summary>
    /// networkx's rule: stop when the L1 change of one iteration is below <c>NodeCount × Tolerance</c>. With networkx's
    /// <c>tol = 1e-6</c> this leaves an error of up to ~n·5.7e-6 (on Cora 1.2e-3 on the top papers).
    /// </summary>
    NetworkX,
}

/// <summary>PageRank settings. The defaults give the exact vector (L1 error ≤ 1e-10); <see cref="NetworkX"/> reproduces networkx.</summary>
public sealed class PageRankOptions
{
    /// <summary>Damping factor (networkx <c>alpha</c>).</summary>
    public double Alpha { get; set; } = 0.85;

    /// <summary>Stopping rule (default: a guaranteed L1 error bound).</summary>
    public PageRankStopping Stopping { get; set; } = PageRankStopping.ErrorBound;

    /// <summary>
    /// For <see cref="PageRankStopping.ErrorBound"/>: the largest L1 distance to the exact PageRank vector (default 1e-10).
    /// For <see cref="PageRankStopping.NetworkX"/>: networkx's per-paper <c>tol</c>.
    /// </summary>
    public double Tolerance { get; set; } = 1e-10;

    /// <summary>Iteration cap; exceeding it throws <see cref="PowerIterationFailedException"/> (networkx <c>max_iter</c>).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>networkx 2.x/3.x <c>pagerank</c> defaults: <c>tol = 1e-6</c> per paper, <c>max_iter = 100</c>, its stopping rule.</summary>
    public static PageRankOptions NetworkX(double alpha = 0.85) =>
        new() { Alpha = alpha, Stopping = PageRankStopping.NetworkX, Tolerance = 1e-6, MaxIterations = 100 };
}

/// <summary>
/// PageRank over citing → cited edges, so rank flows from a paper to the papers it cites. Same definition as
/// networkx's <c>pagerank</c> with no personalisation: uniform start and teleport, each paper's rank split
/// evenly over its references, the rank of papers without references (dangling) spread uniformly over all
/// papers. By default it iterates until the result is exact to an L1 error of 1e-10 (about 160 iterations at α = 0.85);
/// <see cref="PageRankOptions.NetworkX"/> stops where networkx stops. Pull-style, parallel over papers.
/// </summary>
public static class PageRank
{
    /// <summary>PageRank of every paper (sums to 1).</summary>
    public static double[] Compute(CitationGraph graph, PageRankOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PageRankOptions();
        if (options.Alpha is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(options), $"Alpha must be in [0, 1), was {options.Alpha}.");
        int n = graph.NodeCount;
        if (n == 0) return [];
        double alpha = options.Alpha, uniform = 1.0 / n;
        var x = new double[n];
        var next = new double[n];
        var share = new double[n]; // x[u] / outdeg(u)
        Array.Fill(x, uniform);
        var offsets = graph._refOffsets;
        var inOffsets = graph._citOffsets;
        var sources = graph._citSources;
        int parts = Math.Max(1, Math.Min(Environment.ProcessorCount, n / 20000));
        if (options.Tolerance <= 0 || double.IsNaN(options.Tolerance)) throw new ArgumentOutOfRangeException(nameof(options), $"Tolerance must be positive, was {options.Tolerance}.");
        // The L1 change of one step below which the iterate is within Tolerance of the fixed point (or networkx's threshold).
        double threshold = options.Stopping == PageRankStopping.NetworkX ? n * options.Tolerance
            : alpha == 0 ? double.PositiveInfinity : options.Tolerance * (1 - alpha) / alpha;
        double error = double.NaN;
        for (int iteration = 1; iteration <= options.MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double dangling = 0;
            for (int u = 0; u < n; u++)
            {
                int d = offsets[u + 1] - offsets[u];
                if (d == 0) { dangling += x[u]; share[u] = 0; }
                else share[u] = x[u] / d;
            }
            double constant = alpha * dangling * uniform + (1 - alpha) * uniform;
            var errors = new double[parts];
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
            {
                int from = (int)((long)n * p / parts), to = (int)((long)n * (p + 1) / parts);
                double err = 0;
                for (int v = from; v < to; v++)
                {
                    double sum = 0;
                    for (int e = inOffsets[v]; e < inOffsets[v + 1]; e++) sum += share[sources[e]];
                    double value = alpha * sum + constant;
                    next[v] = value;
                    err += Math.Abs(value - x[v]);
                }
                errors[p] = err;
            });
            (x, next) = (next, x);
            error = errors.Sum();
            if (error < threshold) return x;
        }
        throw new PowerIterationFailedException("PageRank", options.MaxIterations, error, threshold);
    }
}
