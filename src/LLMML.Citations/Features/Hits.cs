using LLMML.Citations.Graphs;

namespace LLMML.Citations.Features;

/// <summary>HITS settings.</summary>
public sealed class HitsOptions
{
    /// <summary>Stops when the L1 change of the max-normalised hub vector is below this (networkx's <c>tol</c>).</summary>
    public double Tolerance { get; set; } = 1e-8;

    /// <summary>Iteration cap. Higher than networkx's 100 because plain power iteration converges more slowly than the
    /// sparse SVD networkx uses; exceeding it throws <see cref="PowerIterationFailedException"/>.</summary>
    public int MaxIterations { get; set; } = 1000;
}

/// <summary>Hub and authority scores, each normalised to sum to 1 (networkx's <c>normalized=True</c>).</summary>
/// <param name="Hubs">Hub score: high for papers citing good authorities.</param>
/// <param name="Authorities">Authority score: high for papers cited by good hubs.</param>
/// <param name="Iterations">Power iterations run.</param>
public sealed record HitsScores(double[] Hubs, double[] Authorities, int Iterations);

/// <summary>
/// HITS over citing → cited edges: authorities are cited papers, hubs are citing papers. The fixed point is the
/// leading singular vector pair of the adjacency matrix A (A[u,v] = 1 when u cites v), as in networkx's <c>hits</c>:
/// a = Aᵀh, h = Aa, iterated from a uniform h.
/// </summary>
public static class Hits
{
    /// <summary>Hub and authority scores of every paper.</summary>
    public static HitsScores Compute(CitationGraph graph, HitsOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new HitsOptions();
        int n = graph.NodeCount;
        if (n == 0) return new HitsScores([], [], 0);
        var h = new double[n];
        var a = new double[n];
        var last = new double[n];
        Array.Fill(h, 1.0 / n);
        var refOffsets = graph.RefOffsets; var targets = graph.RefTargets;
        var citOffsets = graph.CitOffsets; var sources = graph.CitSources;
        int parts = Math.Max(1, Math.Min(Environment.ProcessorCount, n / 20000));
        var po = new ParallelOptions { MaxDegreeOfParallelism = parts };
        double error = double.NaN;
        for (int iteration = 1; iteration <= options.MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Array.Copy(h, last, n);
            Parallel.For(0, parts, po, p =>
            {
                int from = (int)((long)n * p / parts), to = (int)((long)n * (p + 1) / parts);
                for (int v = from; v < to; v++)
                {
                    double s = 0;
                    for (int e = citOffsets[v]; e < citOffsets[v + 1]; e++) s += last[sources[e]];
                    a[v] = s;
                }
            });
            Parallel.For(0, parts, po, p =>
            {
                int from = (int)((long)n * p / parts), to = (int)((long)n * (p + 1) / parts);
                for (int u = from; u < to; u++)
                {
                    double s = 0;
                    for (int e = refOffsets[u]; e < refOffsets[u + 1]; e++) s += a[targets[e]];
                    h[u] = s;
                }
            });
            double hMax = Max(h), aMax = Max(a);
            if (hMax == 0) return new HitsScores(new double[n], new double[n], iteration); // no edges: networkx gives zeros too
            Scale(h, 1 / hMax);
            Scale(a, 1 / aMax);
            error = 0;
            for (int i = 0; i < n; i++) error += Math.Abs(h[i] - last[i]);
            if (error < options.Tolerance)
            {
                Scale(h, 1 / h.Sum());
                Scale(a, 1 / a.Sum());
                return new HitsScores(h, a, iteration);
            }
        }
        throw new PowerIterationFailedException("HITS", options.MaxIterations, error, options.Tolerance);
    }

    private static double Max(double[] v)
    {
        double m = 0;
        foreach (var x in v) if (x > m) m = x;
        return m;
    }

    private static void Scale(double[] v, double f)
    {
        for (int i = 0; i < v.Length; i++) v[i] *= f;
    }
}
