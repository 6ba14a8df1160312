using LLMML.Citations.Graphs;

namespace LLMML.Citations.Features;

/// <summary>PageRank settings; the defaults are networkx's.</summary>
public sealed class PageRankOptions
{
    /// <summary>Damping factor (networkx <c>alpha</c>).</summary>
    public double Alpha { get; set; } = 0.85;

    /// <summary>Stops when the L1 change of one iteration is below <c>NodeCount × Tolerance</c> (networkx <c>tol</c>).</summary>
    public double Tolerance { get; set; } = 1e-6;

    /// <summary>Iteration cap; exceeding it throws <see cref="PowerIterationFailedException"/> (networkx <c>max_iter</c>).</summary>
    public int MaxIterations { get; set; } = 100;
}

/// <summary>
/// PageRank over citing → cited edges, so rank flows from a paper to the papers it cites. Same definition as
/// networkx's <c>pagerank</c> with no personalisation: uniform start and teleport, each paper's rank split
/// evenly over its references, the rank of papers without references (dangling) spread uniformly over all
/// papers, and the same stopping rule. Pull-style, parallel over papers.
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
        var offsets = graph.RefOffsets;
        var inOffsets = graph.CitOffsets;
        var sources = graph.CitSources;
        int parts = Math.Max(1, Math.Min(Environment.ProcessorCount, n / 20000));
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
            if (error < n * options.Tolerance) return x;
        }
        throw new PowerIterationFailedException("PageRank", options.MaxIterations, error, n * options.Tolerance);
    }
}
