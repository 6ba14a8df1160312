using LLMML.Citations.Graphs;

namespace LLMML.Citations.Features;

/// <summary>HITS settings. The default stops at a relative residual of 1e-10: exact to ~1e-10 per score.</summary>
public sealed class HitsOptions
{
    /// <summary>Stops when the relative residual ‖AᵀA·a − θ·a‖ / θ of the authority vector is below this.</summary>
    public double Tolerance { get; set; } = 1e-10;

    /// <summary>Cap on products with AᵀA (each one pass over the edges in each direction); exceeding it throws <see cref="PowerIterationFailedException"/>.</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>
    /// Krylov vectors kept per Lanczos cycle (memory: this many vectors of one double per paper). 8 is where memory and
    /// passes balance at OpenAlex scale: 24 vectors cost ~19 bytes a reference at 10 references a paper and saved few
    /// passes; a smaller basis restarts more often and needs a few more products to reach the same tolerance.
    /// </summary>
    public int KrylovDimension { get; set; } = 8;

    /// <summary>
    /// networkx 2.8+'s <c>hits</c> tolerance (<c>tol = 1e-8</c>, handed to ARPACK's <c>svds</c>): the same leading singular
    /// vectors, to networkx's looser accuracy. The default (1e-10) is tighter.
    /// </summary>
    public static HitsOptions NetworkX() => new() { Tolerance = 1e-8 };
}

/// <summary>Hub and authority scores, each normalised to sum to 1 (networkx's <c>normalized=True</c>).</summary>
/// <param name="Hubs">Hub score: high for papers citing good authorities.</param>
/// <param name="Authorities">Authority score: high for papers cited by good hubs.</param>
/// <param name="Iterations">Products with AᵀA computed.</param>
public sealed record HitsScores(double[] Hubs, double[] Authorities, int Iterations);

/// <summary>
/// HITS over citing → cited edges: authorities are cited papers, hubs are citing papers. The scores are the leading
/// singular vector pair of the adjacency matrix A (A[u,v] = 1 when u cites v), as in networkx's <c>hits</c>:
/// the authority vector is the top eigenvector of AᵀA and hubs are A·a. It is found by restarted Lanczos with full
/// reorthogonalisation started from the uniform vector, which converges to the same vector as the classic power
/// iteration (the start's projection on the top eigenspace) in far fewer passes when the spectral gap is small.
/// </summary>
public static class Hits
{
    /// <summary>Hub and authority scores of every paper.</summary>
    public static HitsScores Compute(CitationGraph graph, HitsOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new HitsOptions();
        int n = graph.NodeCount;
        if (n == 0) return new HitsScores([], [], 0);
        if (graph.EdgeCount == 0) return new HitsScores(new double[n], new double[n], 0); // networkx gives zeros too
        var op = new GramOperator(graph);
        int m = Math.Clamp(options.KrylovDimension, 2, n);
        var basis = new double[m + 1][];
        var x = new double[n];
        Array.Fill(x, 1.0 / Math.Sqrt(n));
        var w = new double[n];
        int products = 0;
        double residual = double.NaN;
        while (products < options.MaxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var alpha = new double[m];
            var beta = new double[m];
            basis[0] ??= new double[n];
            Array.Copy(x, basis[0], n);
            int k = 0;
            bool converged = false;
            for (int j = 0; j < m && products < options.MaxIterations; j++)
            {
                op.Apply(basis[j], w);
                products++;
                alpha[j] = Dot(w, basis[j]);
                // Full reorthogonalisation; a second pass only when the first cancelled most of w (Kahan–Parlett).
                double before = Math.Sqrt(Dot(w, w));
                for (int i = 0; i <= j; i++) Axpy(-Dot(w, basis[i]), basis[i], w);
                double after = Math.Sqrt(Dot(w, w));
                if (after < 0.7 * before)
                {
                    for (int i = 0; i <= j; i++) Axpy(-Dot(w, basis[i]), basis[i], w);
                    after = Math.Sqrt(Dot(w, w));
                }
                k = j + 1;
                beta[j] = after;
                if (beta[j] <= 1e-14 * Math.Max(1, Math.Abs(alpha[j]))) { beta[j] = 0; break; } // invariant subspace: exact
                // Lanczos' residual estimate |β_j · y_j| is free: stop as soon as it is small enough.
                var (t, yy) = TopEigenpair(alpha, beta, k);
                if (Math.Abs(beta[j] * yy[k - 1]) / Math.Max(t, double.Epsilon) < options.Tolerance) { converged = true; break; }
                basis[j + 1] ??= new double[n];
                Scale(w, 1 / beta[j], basis[j + 1]);
            }
            var (theta, y) = TopEigenpair(alpha, beta, k);
            Array.Clear(x);
            for (int i = 0; i < k; i++) Axpy(y[i], basis[i], x);
            Normalize(x);
            residual = Math.Abs(beta[k - 1] * y[k - 1]) / Math.Max(theta, double.Epsilon);
            if (converged || residual < options.Tolerance || beta[k - 1] == 0) return Finish(graph, op, x, products);
        }
        throw new PowerIterationFailedException("HITS", products, residual, options.Tolerance);
    }

    private static HitsScores Finish(CitationGraph graph, GramOperator op, double[] a, int products)
    {
        // The Perron vector of a non-negative matrix is non-negative up to sign; rounding leaves ±1e-17 dust.
        double sum = a.Sum();
        if (sum < 0) Scale(a, -1, a);
        for (int i = 0; i < a.Length; i++) if (a[i] < 0) a[i] = 0;
        var h = new double[a.Length];
        op.Hubs(a, h);
        Scale(a, 1 / a.Sum(), a);
        Scale(h, 1 / h.Sum(), h);
        return new HitsScores(h, a, products);
    }

    /// <summary>Largest eigenvalue and its eigenvector of the k×k symmetric tridiagonal (alpha, beta), by cyclic Jacobi.</summary>
    private static (double Theta, double[] Vector) TopEigenpair(double[] alpha, double[] beta, int k)
    {
        var t = new double[k, k];
        var v = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            t[i, i] = alpha[i];
            if (i + 1 < k) t[i, i + 1] = t[i + 1, i] = beta[i];
            v[i, i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < k; p++) for (int q = p + 1; q < k; q++) off += t[p, q] * t[p, q];
            if (off < 1e-30) break;
            for (int p = 0; p < k; p++)
                for (int q = p + 1; q < k; q++)
                {
                    if (Math.Abs(t[p, q]) < 1e-300) continue;
                    double theta = (t[q, q] - t[p, p]) / (2 * t[p, q]);
                    double tan = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) tan = 1;
                    double c = 1 / Math.Sqrt(tan * tan + 1), s = tan * c;
                    for (int r = 0; r < k; r++)
                    {
                        double trp = t[r, p], trq = t[r, q];
                        t[r, p] = c * trp - s * trq;
                        t[r, q] = s * trp + c * trq;
                    }
                    for (int r = 0; r < k; r++)
                    {
                        double tpr = t[p, r], tqr = t[q, r];
                        t[p, r] = c * tpr - s * tqr;
                        t[q, r] = s * tpr + c * tqr;
                    }
                    for (int r = 0; r < k; r++)
                    {
                        double vrp = v[r, p], vrq = v[r, q];
                        v[r, p] = c * vrp - s * vrq;
                        v[r, q] = s * vrp + c * vrq;
                    }
                }
        }
        int best = 0;
        for (int i = 1; i < k; i++) if (t[i, i] > t[best, best]) best = i;
        var y = new double[k];
        for (int i = 0; i < k; i++) y[i] = v[i, best];
        return (t[best, best], y);
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static void Axpy(double f, double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++) y[i] += f * x[i];
    }

    private static void Scale(double[] x, double f, double[] into)
    {
        for (int i = 0; i < x.Length; i++) into[i] = x[i] * f;
    }

    private static void Normalize(double[] x) => Scale(x, 1 / Math.Sqrt(Dot(x, x)), x);

    /// <summary>x ↦ AᵀA·x as two parallel sparse passes (y = A·x over references, then Aᵀ·y over citations).</summary>
    private sealed class GramOperator(CitationGraph g)
    {
        private readonly double[] _y = new double[g.NodeCount];
        private readonly int _parts = Math.Max(1, Math.Min(Environment.ProcessorCount, g.NodeCount / 20000));

        public void Hubs(double[] a, double[] h) => For((from, to) =>
        {
            var offsets = g._refOffsets; var targets = g._refTargets;
            for (int u = from; u < to; u++)
            {
                double s = 0;
                for (int e = offsets[u]; e < offsets[u + 1]; e++) s += a[targets[e]];
                h[u] = s;
            }
        });

        public void Apply(double[] x, double[] result)
        {
            Hubs(x, _y);
            For((from, to) =>
            {
                var offsets = g._citOffsets; var sources = g._citSources;
                for (int v = from; v < to; v++)
                {
                    double s = 0;
                    for (int e = offsets[v]; e < offsets[v + 1]; e++) s += _y[sources[e]];
                    result[v] = s;
                }
            });
        }

        private void For(Action<int, int> body)
        {
            int n = g.NodeCount;
            if (_parts == 1) { body(0, n); return; }
            Parallel.For(0, _parts, new ParallelOptions { MaxDegreeOfParallelism = _parts },
                p => body((int)((long)n * p / _parts), (int)((long)n * (p + 1) / _parts)));
        }
    }
}
